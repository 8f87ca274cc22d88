// What kind of line a number is (mobile, landline, premium-rate...), from libphonenumber-js's full metadata, loaded once with the library.
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import type { Channel } from '../bandwidth/types';

/** libphonenumber-js's number types, plus `UNKNOWN` for a number whose type its metadata cannot tell. */
export const PHONE_NUMBER_TYPES = [
  'MOBILE',
  'FIXED_LINE',
  'FIXED_LINE_OR_MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
  'UNKNOWN',
] as const;

export type PhoneNumberType = (typeof PHONE_NUMBER_TYPES)[number];

/**
 * Only lines a person answers with a phone in hand: premium-rate, shared-cost and revenue-sharing ranges
 * are what SMS pumping aims at, and toll-free, VoIP, pager or voicemail numbers rarely take a code.
 * Voice also reaches landlines.
 */
export const DEFAULT_ALLOWED_TYPES: Readonly<Record<Channel, readonly PhoneNumberType[]>> = {
  sms: ['MOBILE', 'FIXED_LINE_OR_MOBILE'],
  voice: ['MOBILE', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE'],
};

export function numberTypeOf(phoneNumber: string): PhoneNumberType {
  return parsePhoneNumberFromString(phoneNumber)?.getType() ?? 'UNKNOWN';
}
