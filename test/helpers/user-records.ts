// The test app's own user records, kept in the real Redis so that an operator process sees the same ones.
import type Redis from 'ioredis';
import type { EnrolmentOptions, MfaUser, RecoveryCodesOptions } from '../../src';

/** A secret the tests' apps key recovery-code hashes with (the app's, kept outside its user records). */
export const RECOVERY_SECRET = 'test-recovery-secret-of-at-least-32-characters';

export interface UserRecords {
  /** The user as getUser would give it; `phoneNumber` null when none is on record. */
  find(id: string): Promise<MfaUser>;
  setPhone(id: string, phoneNumber: string | null): Promise<void>;
  hashes(id: string): Promise<string[]>;
  enrolment: Pick<EnrolmentOptions, 'savePhoneNumber'>;
  recoveryCodes: RecoveryCodesOptions;
}

/** Numbers on record before any test changes them; a user absent here (carol) starts with none. */
export function userRecords(redis: Redis, prefix: string, initial: Record<string, string | null>): UserRecords {
  const phoneKey = (id: string) => `${prefix}users:${id}:phone`;
  const codesKey = (id: string) => `${prefix}users:${id}:codes`;
  const setPhone = async (id: string, phoneNumber: string | null) => {
    // "none" marks a removed number, so the initial one does not come back.
    await redis.set(phoneKey(id), phoneNumber ?? 'none');
  };
  return {
    async find(id) {
      const stored = await redis.get(phoneKey(id));
      const phoneNumber = stored === null ? (initial[id] ?? null) : stored === 'none' ? null : stored;
      return { id, phoneNumber };
    },
    setPhone,
    hashes: (id) => redis.smembers(codesKey(id)),
    enrolment: { savePhoneNumber: (userId, phoneNumber) => setPhone(userId, phoneNumber) },
    recoveryCodes: {
      secret: RECOVERY_SECRET,
      async saveRecoveryCodes(userId, hashes) {
        const tx = redis.multi().del(codesKey(userId));
        if (hashes.length > 0) tx.sadd(codesKey(userId), ...hashes);
        await tx.exec();
      },
      // SREM is atomic: of parallel consumers of one hash, exactly one removes it.
      consumeRecoveryCode: async (userId, hash) => (await redis.srem(codesKey(userId), hash)) === 1,
      countRecoveryCodes: (userId) => redis.scard(codesKey(userId)),
    },
  };
}
