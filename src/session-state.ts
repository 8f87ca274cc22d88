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
}

export interface Verification {
  userId: string;
  /** Host clock, ms. 0 for a trusted device: it never counts as a fresh code for `maxAgeSeconds`. */
  at: number;
  /** Set when a trusted-device cookie, not a code, stood in for the login challenge. */
  trustedDevice?: true;
}

export interface MfaSessionState {
  pending?: PendingChallenge;
  /** Successful verifications by scope. */
  verified?: Record<string, Verification>;
  /** Set when `requireSecondFactor()` turned a browser away: where to go back, and for which scope. */
  requested?: { scope: string; returnTo?: string };
}

declare module 'express-session' {
  interface SessionData {
    mfa?: MfaSessionState;
  }
}
