// Names of the shared-store keys of one user. Hash-tagged so that all of them share a Redis Cluster slot.
import { createHash } from 'node:crypto';

export interface UserKeys {
  attempts: string;
  lockout: string;
  cooldown: string;
  sends: string;
  challenge: string;
  /** Bumped by `revokeTrustedDevices`: cookies carrying an older generation stop working. */
  trustGeneration: string;
  /** One trusted browser: the hash of its token. */
  trustedDevice(deviceId: string): string;
}

/** A stable, non-reversible name for a user: user ids may hold `}` (breaking the hash tag) or personal data. */
export function userTag(userId: string): string {
  return createHash('sha256').update(userId).digest('hex').slice(0, 32);
}

export function userKeys(userId: string): UserKeys {
  const tag = `{u:${userTag(userId)}}`;
  return {
    attempts: `${tag}:attempts`,
    lockout: `${tag}:lockout`,
    cooldown: `${tag}:cooldown`,
    sends: `${tag}:sends`,
    challenge: `${tag}:challenge`,
    trustGeneration: `${tag}:trust-generation`,
    trustedDevice: (deviceId: string) => `${tag}:device:${deviceId}`,
  };
}
