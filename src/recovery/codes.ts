// Recovery codes: made from an alphabet people can read aloud, typed back loosely, stored only as keyed hashes.
import { createHmac, randomInt } from 'node:crypto';

/** Digits and capitals without 0/O, 1/I/L and U: nothing two people could read differently. 30 symbols. */
const ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
const GROUPS = 3;
const GROUP_LENGTH = 4;
const LENGTH = GROUPS * GROUP_LENGTH;
/** 12 symbols of 30: log2(30) × 12 ≈ 58.9 bits each, above the 50 asked for. */
export const RECOVERY_CODE_BITS = Math.floor(Math.log2(ALPHABET.length) * LENGTH);
export const RECOVERY_CODES_PER_SET = 10;

const VALID = new RegExp(`^[${ALPHABET}]{${LENGTH}}$`);

/** A new set, each code shown as `ABCD-EFGH-JKMN`. */
export function newRecoveryCodes(count = RECOVERY_CODES_PER_SET): string[] {
  const codes = new Set<string>();
  while (codes.size < count) {
    const symbols = Array.from({ length: LENGTH }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
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
