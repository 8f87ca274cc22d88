// Reads a phone number a person typed (E.164, or national with a default country) into E.164, with libphonenumber-js.
import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { MfaError } from '../errors';

/** Longer than any real number with its spaces and punctuation: refused before parsing. */
const MAX_INPUT_LENGTH = 40;

/** The number in E.164, or a 400 `invalid_phone_number` for anything that is not a valid, complete number. */
export function parsePhoneNumberInput(value: unknown, defaultCountry?: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > MAX_INPUT_LENGTH) throw new MfaError('invalid_phone_number');
  // `extract: false`: the whole text must be the number, not merely contain one.
  const parsed = parsePhoneNumberFromString(value.trim(), { defaultCountry: defaultCountry as CountryCode | undefined, extract: false });
  if (!parsed || !parsed.isValid()) throw new MfaError('invalid_phone_number');
  return parsed.number;
}

/** The ISO country of an E.164 number, when its metadata tells (undefined for unknown or shared ranges). */
export function countryOf(phoneNumber: string): string | undefined {
  return parsePhoneNumberFromString(phoneNumber)?.country;
}
