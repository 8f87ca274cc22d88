// What the library keeps in express-session, under one typed key: `req.session.mfa`.
import type { Channel } from './bandwidth/types';

export interface PendingChallenge {
  /** Matches the value stored in the shared store while the challenge is alive and unused. */
  id: string;
  userId: string;
  channel: Channel;
  maskedPhoneNumber: string;
  /** The scope the app asked for (`2FA`, `transfer`...). */
  scope: string;
  /** The scope sent to Bandwidth: `scope` plus a per-challenge suffix, so codes of earlier sends never verify. */
  providerScope: string;
  /** Host clock, for display only; expiry is judged by the store's TTL. */
  sentAt: number;
  expiresAt: number;
  returnTo?: string;
  /** The text of the action this code approves, as the message said it (`requireSecondFactor({ action })`). */
  action?: string;
  /** The send budgets this code was counted in (`country:US`...): a right code credits exactly these back. */
  budgets?: string[];
  /** Set when the code went to a candidate number the user is adding or changing to, not the one on record. */
  enrolment?: {
    /** E.164: the number the code went to, and the only one a right code can save. */
    phoneNumber: string;
    /** The number on record when the code was sent (null for a first enrolment). */
    previous: string | null;
  };
}

/** How a second factor was proven; `passkey` is the only phishing-resistant one. */
export type VerificationMethod = 'sms' | 'voice' | 'recovery_code' | 'passkey' | 'trusted_device';

export interface Verification {
  userId: string;
  /** How it was proven. Absent in sessions written before methods were recorded: such a verification passes no `methods` check. */
  method?: VerificationMethod;
  /** Host clock, ms. 0 for a trusted device: it never counts as a fresh code for `maxAgeSeconds`. */
  at: number;
  /** Set when a trusted-device cookie, not a code, stood in for the login challenge. */
  trustedDevice?: true;
  /** Set when a recovery code stood in for the phone. */
  recoveryCode?: true;
  /** Random: what a `singleUse` guard claims in the shared store, so the verification opens one request. */
  id?: string;
  /** Digest of the action text the code approved; a guard with `action` opens only for that very text. */
  action?: string;
}

export interface PendingPasskey {
  kind: 'registration' | 'authentication';
  userId: string;
  /** base64url, as the authenticator signs it back in `clientDataJSON`. */
  challenge: string;
  /** The scope a successful authentication verifies. */
  scope: string;
  returnTo?: string;
}

export interface MfaSessionState {
  pending?: PendingChallenge;
  /** Successful verifications by scope. */
  verified?: Record<string, Verification>;
  /** Set when `requireSecondFactor()` turned a browser away: where to go back, and for which scope. */
  requested?: { scope: string; returnTo?: string; action?: string; methods?: VerificationMethod[] };
  /** A passkey ceremony under way: its challenge, also held (single use) in the shared store. */
  passkey?: PendingPasskey;
  /** Recovery codes made for a browser, shown once by the page at `enrolment.recoveryCodesPath` (`takeNewRecoveryCodes`). */
  newRecoveryCodes?: string[];
  /**
   * Set (to the user's id) when `newRecoveryCodes` are not saved yet: made after a recovery code was used,
   * they replace the user's set when `takeNewRecoveryCodes` shows them, and the old set works until then.
   */
  newRecoveryCodesFor?: string;
}

declare module 'express-session' {
  interface SessionData {
    mfa?: MfaSessionState;
  }
}
