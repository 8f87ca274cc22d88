// The buckets a send is counted in, and the store keys of the budgets: all under one Cluster hash tag, `{budgets}`.
import { getCountryCallingCode, parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';
import { hashTag } from '../flow/keys';
import type { BucketBudget } from '../stores/types';
import type { MfaConfig } from '../options';
import { formatNetwork, networkOf, type Address } from './address';

/**
 * One slot for every budget key, so one send is one script on one node. The price: on a Cluster all
 * budget traffic goes to the node of that slot (a handful of fields per send; see docs/toll-fraud.md).
 */
const TAG = '{budgets}';

export const CEILING_KEY = `${TAG}:ceiling`;
export const ALLOW_LIST_KEY = `${TAG}:allow`;
export const INDEX_KEY = `${TAG}:index`;
/** The public name of the ceiling, in events and for `resetSendBudget`. */
export const CEILING_BUCKET = 'ceiling';

export type BucketKind = 'country' | 'prefix' | 'address';

export interface Bucket {
  /** `country:US`, `prefix:+1202555`, `address:203.0.113.7`, `address:2001:db8:1:2::/64`. */
  name: string;
  kind: BucketKind;
  budget: BucketBudget;
}

export function bucketKey(name: string): string {
  return name === CEILING_BUCKET ? CEILING_KEY : `${TAG}:b:${name}`;
}

/** The bucket's name from its key; undefined for keys that are not buckets. */
export function bucketOfKey(key: string): string | undefined {
  if (key === CEILING_KEY) return CEILING_BUCKET;
  return key.startsWith(`${TAG}:b:`) ? key.slice(TAG.length + 3) : undefined;
}

/** Sends to one destination number, whoever asks: one number cannot be pumped from many accounts. */
export function numberKey(phoneNumber: string): string {
  return `${TAG}:n:${hashTag(phoneNumber)}`;
}

/** The record that a number took a right code: while it lives, sends to it bypass the buckets. */
export function knownNumberKey(phoneNumber: string): string {
  return `${TAG}:k:${hashTag(phoneNumber)}`;
}

/** The country's ISO code, or `+` and the calling code for ranges of no country (+882, +883...). */
export function countryBucketOf(phoneNumber: string, country: string | undefined): string {
  if (country) return country;
  return `+${parsePhoneNumberFromString(phoneNumber)?.countryCallingCode ?? phoneNumber.slice(1, 4)}`;
}

export function bucketsFor(config: MfaConfig, phoneNumber: string, country: string | undefined, address: Address | undefined): Bucket[] {
  const { sendBudgets } = config;
  const buckets: Bucket[] = [
    { name: `country:${countryBucketOf(phoneNumber, country)}`, kind: 'country', budget: sendBudgets.country },
    { name: `prefix:${prefixOf(phoneNumber, country, sendBudgets.prefix.hiddenDigits)}`, kind: 'prefix', budget: sendBudgets.prefix },
  ];
  if (address) {
    const length = address.version === 4 ? 32 : sendBudgets.address.ipv6PrefixLength;
    buckets.push({ name: `address:${formatNetwork(networkOf(address, length), length)}`, kind: 'address', budget: sendBudgets.address });
  }
  return buckets;
}

/** The number less its last digits, never shorter than its calling code plus one digit. */
function prefixOf(phoneNumber: string, country: string | undefined, hiddenDigits: number): string {
  const callingCode = country ? getCountryCallingCode(country as CountryCode) : '';
  const shortest = 1 + callingCode.length + 1;
  return phoneNumber.slice(0, Math.max(shortest, phoneNumber.length - hiddenDigits));
}

/** The budget of a bucket by its name, from the configuration (the store keeps counts, not budgets). */
export function budgetOf(config: MfaConfig, name: string): BucketBudget | undefined {
  const kind = name.slice(0, name.indexOf(':'));
  if (kind === 'country' || kind === 'prefix' || kind === 'address') return config.sendBudgets[kind];
  return undefined;
}

const BUCKET_NAME = /^(country:(\+\d{1,3}|[A-Z]{2})|prefix:\+\d{2,15}|address:[0-9a-f.:/]{2,43})$/;

export function isBucketName(value: unknown): value is string {
  return typeof value === 'string' && (value === CEILING_BUCKET || BUCKET_NAME.test(value));
}
