// Names of the shared-store keys of one user. Hash-tagged so that all of them share a Redis Cluster slot.
import { createHash } from 'node:crypto';

export interface UserKeys {
  attempts: string;
  lockout: string;
  cooldown: string;
  sends: string;
  challenge: string;
}

export function userKeys(userId: string): UserKeys {
  // Hashed: user ids may hold `}` (which would break the hash tag) or personal data (which keys should not show).
  const tag = `{u:${createHash('sha256').update(userId).digest('hex').slice(0, 32)}}`;
  return {
    attempts: `${tag}:attempts`,
    lockout: `${tag}:lockout`,
    cooldown: `${tag}:cooldown`,
    sends: `${tag}:sends`,
    challenge: `${tag}:challenge`,
  };
}
