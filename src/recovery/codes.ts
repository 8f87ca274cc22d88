// Recovery codes: made from an alphabet people can read aloud, typed back loosely, stored only as keyed hashes.
import { createHmac, randomInt } from 'node:crypto';

/** Digits and capitals without 0/O, 1/I/L and U: nothing two people could read differently. 30 symbols. */
export const RECOVERY_CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUP_LENGTH = 4;
/** Four groups of four: log2(30) × 16 ≈ 78.5 bits each, above the 64 NIST SP 800-63B-4 asks for. */
export const RECOVERY_CODE_LENGTH = 4 * GROUP_LENGTH;
/** Codes made before the longer ones (three groups, 58.9 bits): still accepted until the user's set is replaced. */
export const LEGACY_RECOVERY_CODE_LENGTH = 3 * GROUP_LENGTH;
export const RECOVERY_CODE_BITS = Math.floor(Math.log2(RECOVERY_CODE_ALPHABET.length) * RECOVERY_CODE_LENGTH);
export const RECOVERY_CODES_PER_SET = 10;

const VALID = new RegExp(
  `^(?:[${RECOVERY_CODE_ALPHABET}]{${RECOVERY_CODE_LENGTH}}|[${RECOVERY_CODE_ALPHABET}]{${LEGACY_RECOVERY_CODE_LENGTH}})$`,
);

/** A new set, each code shown as `ABCD-EFGH-JKMN-PQRS`; `randomInt` draws from the system's CSPRNG without bias. */
export function newRecoveryCodes(count = RECOVERY_CODES_PER_SET): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const symbols = Array.from(
      { length: RECOVERY_CODE_LENGTH },
      () => RECOVERY_CODE_ALPHABET[randomInt(RECOVERY_CODE_ALPHABET.length)],
    ).join('');
    codes.add(symbols.match(new RegExp(`.{${GROUP_LENGTH}}`, 'g'))!.join('-'));
  }
  return [...codes];
}

/** What a person typed, case, spaces and hyphens ignored; undefined when it cannot be one of our codes. */
export function normaliseRecoveryCode(input: unknown): string | undefined {
  if (typeof input !== 'string' || input.length > 64) return undefined;
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  return VALID.test(code) ? code : undefined;
}

/** The hash the app stores, keyed so that its database alone reveals nothing usable. One per secret (rotation). */
export function recoveryCodeHashes(code: string, secrets: string[]): string[] {
  const normalised = normaliseRecoveryCode(code);
  if (normalised === undefined) throw new TypeError('not a recovery code');
  return secrets.map((secret) => createHmac('sha256', secret).update(`recovery-code:${normalised}`).digest('hex'));
}
