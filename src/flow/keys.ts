// Names of the shared-store keys of one user. Hash-tagged so that all of them share a Redis Cluster slot.
import { createHash } from 'node:crypto';

export interface UserKeys {
  attempts: string;
  /** Consecutive failures, reset only by a success: what escalates lockouts and finally holds the user. */
  streak: string;
  lockout: string;
  cooldown: string;
  sends: string;
  challenge: string;
  /** Map of the user's trusted browsers: device id → its record (hash of its token, dates). */
  devices: string;
  /** Set by a reset or a removal of the factor; its age says when. Not cleared by a reset. */
  factorReset: string;
  /** The challenge of the passkey ceremony under way: single use, short-lived. */
  passkeyChallenge: string;
}

/** A stable, non-reversible name: user ids may hold `}` (breaking the hash tag) or personal data. */
export function hashTag(text: string): string {
  return createHash('sha256').update(text).digest('hex').slice(0, 32);
}

export const userTag = hashTag;

export function userKeys(userId: string): UserKeys {
  const tag = `{u:${userTag(userId)}}`;
  return {
    attempts: `${tag}:attempts`,
    streak: `${tag}:streak`,
    lockout: `${tag}:lockout`,
    cooldown: `${tag}:cooldown`,
    sends: `${tag}:sends`,
    challenge: `${tag}:challenge`,
    devices: `${tag}:devices`,
    factorReset: `${tag}:factor-reset`,
    passkeyChallenge: `${tag}:passkey-challenge`,
  };
}

/** The single-use record of one verification (`requireSecondFactor({ singleUse })`), in the user's slot. */
export function usedVerificationKey(userId: string, verificationId: string): string {
  return `{u:${userTag(userId)}}:used:${verificationId}`;
}

/** Every key of one user, for operators who reset or unlock. */
export function allKeysOf(keys: UserKeys): string[] {
  return [keys.attempts, keys.streak, keys.lockout, keys.cooldown, keys.sends, keys.challenge, keys.devices, keys.passkeyChallenge];
}
