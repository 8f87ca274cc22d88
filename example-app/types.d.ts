// What the example app keeps in the session and adds to each request, declared for the type check of its JavaScript.
import 'express-session';

declare module 'express-session' {
  interface SessionData {
    /** The signed-in user's id, set by the password step (lib/session-lifetime.js). */
    userId?: string;
    /** When the password step happened, in ms: where the absolute session lifetime starts. */
    signedInAt?: number;
    /** The amount of the transfer form, filled in again once the transfer's code is entered (routes/admin.js). */
    transferDraft?: string;
    /** A new set of recovery codes, kept until the user says it is saved (routes/recovery.js). */
    recoveryCodesToSave?: { codes: string[]; next: string; madeAt: number };
    /** Where a new set was asked for, so that saving it leads back there (routes/recovery.js). */
    recoveryCodesFrom?: string;
  }
}

declare global {
  namespace Express {
    interface Request {
      /** The CSRF token of the page being rendered; lib/csrf.js sets it on every request. */
      csrfToken(): string;
    }
  }
}
