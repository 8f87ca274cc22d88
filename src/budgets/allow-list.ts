// Allow-list entries (a country, a number prefix, an address or network) read into one canonical form, and the entries one send would match.
import { isSupportedCountry } from 'libphonenumber-js';
import { formatNetwork, ipv4Networks, networkOf, readAddress, widthOf, type Address } from './address';
import { LOG_PREFIX } from '../log-prefix';

const PREFIX = /^\+[1-9]\d{0,14}$/;

/** Shortest networks an entry may name: wider would let a whole provider's users (or everyone) bypass the budgets. */
const SHORTEST = { 4: 8, 6: 16 } as const;

/**
 * The entry in canonical form (`US`, `+4420`, `203.0.113.0/24`, `2001:db8::/48`), or a TypeError saying
 * what an entry may be. IPv6 networks are taken in whole bytes (/16, /24 ... /128).
 */
export function parseAllowEntry(entry: unknown): string {
  const text = typeof entry === 'string' ? entry.trim() : undefined;
  if (text !== undefined && /^[A-Za-z]{2}$/.test(text) && isSupportedCountry(text.toUpperCase())) return text.toUpperCase();
  if (text !== undefined && PREFIX.test(text)) return text;
  const [host, length, extra] = text?.split('/') ?? [];
  const address = readAddress(host);
  if (address && extra === undefined) {
    const width = widthOf(address);
    const bits = length === undefined ? width : /^\d{1,3}$/.test(length) ? Number(length) : NaN;
    if (bits >= SHORTEST[address.version] && bits <= width && (address.version === 4 || bits % 8 === 0)) {
      return formatNetwork(networkOf(address, bits), bits);
    }
  }
  throw new TypeError(
    LOG_PREFIX +
      'an allow-list entry must be a country code ("US"), a number prefix in E.164 ("+4420"), ' +
      'or an address or network ("203.0.113.7", "203.0.113.0/24", "2001:db8::/48"; IPv4 networks /8 to /32, IPv6 /16 to /128 in whole bytes).',
  );
}

/** Every entry that would cover this send: its country, each prefix of its number, each network holding its address. */
export function allowCandidates(phoneNumber: string, country: string | undefined, address: Address | undefined): string[] {
  const candidates = country ? [country] : [];
  for (let end = 2; end <= phoneNumber.length; end += 1) candidates.push(phoneNumber.slice(0, end));
  if (address?.version === 4) candidates.push(...ipv4Networks(address, SHORTEST[4]));
  else if (address) {
    for (let bits = SHORTEST[6]; bits <= widthOf(address); bits += 8) candidates.push(formatNetwork(networkOf(address, bits), bits));
  }
  return candidates;
}
