// A new session id whenever the session gains a second factor, so the id seen before opens nothing.
import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import { serviceUnavailable } from '../errors';

type MfaState = NonNullable<SessionData['mfa']>;

/**
 * Regenerates the session, keeping the app's own fields (its login) and, of ours, only the verifications
 * (and recovery codes waiting to be shown once).
 */
export async function regenerateKeeping(
  req: Request,
  verified: MfaState['verified'],
  extra: Pick<MfaState, 'newRecoveryCodes' | 'newRecoveryCodesFor'> = {},
): Promise<void> {
  const keep: Record<string, unknown> = { ...req.session };
  delete keep.cookie;
  delete keep.mfa;
  await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(serviceUnavailable()) : resolve())));
  Object.assign(req.session, keep, { mfa: { verified, ...extra } });
  // Saved here, not by express-session after the answer: a store that fails now is a 503, never a success it did not record.
  await saveSession(req);
  skipUnchangedResave(req.session);
}

/**
 * express-session writes a regenerated session once more at the end of the request (it judges "saved" by the
 * id the request came with, which a new session never has): a second round trip to the session store for the
 * same content. After our own save, that end-of-request save goes to the store only if the session changed since.
 */
function skipUnchangedResave(session: Session): void {
  const saved = contentOf(session);
  const save = session.save.bind(session);
  Object.defineProperty(session, 'save', {
    configurable: true,
    enumerable: false,
    writable: true,
    value(this: Session, callback?: (error?: unknown) => void): Session {
      if (contentOf(this) !== saved) return save(callback);
      callback?.();
      return this;
    },
  });
}

/** What the store would hold, but the cookie (express-session refreshes its expiry on every request). */
function contentOf(session: Session): string {
  return JSON.stringify({ ...session, cookie: undefined });
}

/** Saves the session now; a failing session store is a 503. */
export function saveSession(req: Request): Promise<void> {
  return new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(serviceUnavailable()) : resolve())));
}
