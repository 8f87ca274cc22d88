// Client addresses as numbers: IPv4 and IPv6 read, masked to a network, and written back in one canonical form.
import { isIPv4, isIPv6 } from 'node:net';

export interface Address {
  version: 4 | 6;
  bits: bigint;
}

const WIDTH = { 4: 32, 6: 128 } as const;

/** The address in `text`, an IPv4-mapped IPv6 address (`::ffff:203.0.113.7`) read as the IPv4 one it is; undefined for anything else. */
export function readAddress(text: unknown): Address | undefined {
  if (typeof text !== 'string') return undefined;
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  const value = mapped ? (mapped[1] as string) : text;
  if (isIPv4(value)) return { version: 4, bits: value.split('.').reduce((sum, part) => (sum << 8n) | BigInt(Number(part)), 0n) };
  if (!isIPv6(value) || value.includes('%')) return undefined;
  return { version: 6, bits: ipv6Bits(value) };
}

function ipv6Bits(text: string): bigint {
  let groups: string[];
  // A trailing dotted quad stands for the last two groups.
  const quad = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  let head = text;
  if (quad) {
    const v4 = readAddress(quad[1])!.bits;
    head = `${text.slice(0, -(quad[1] as string).length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [left, right] = head.split('::') as [string, string | undefined];
  if (right === undefined) groups = left.split(':');
  else {
    const l = left === '' ? [] : left.split(':');
    const r = right === '' ? [] : right.split(':');
    groups = [...l, ...Array<string>(8 - l.length - r.length).fill('0'), ...r];
  }
  return groups.reduce((sum, group) => (sum << 16n) | BigInt(parseInt(group, 16)), 0n);
}

/** The first `length` bits of the address, the rest zero. */
export function networkOf(address: Address, length: number): Address {
  const width = BigInt(WIDTH[address.version]);
  const hostBits = width - BigInt(length);
  return { version: address.version, bits: (address.bits >> hostBits) << hostBits };
}

/** `203.0.113.0/24`, `2001:db8::/32`; a whole address (/32, /128) without its length. */
export function formatNetwork(address: Address, length: number): string {
  const whole = length === WIDTH[address.version];
  return whole ? formatAddress(address) : `${formatAddress(address)}/${length}`;
}

function formatAddress({ version, bits }: Address): string {
  if (version === 4) return formatIPv4(Number(bits));
  const groups = Array.from({ length: 8 }, (_, i) => Number((bits >> BigInt(112 - 16 * i)) & 0xffffn));
  // The longest run of two or more zero groups becomes `::` (RFC 5952).
  let best = { at: -1, length: 1 };
  for (let i = 0; i < 8;) {
    let j = i;
    while (j < 8 && groups[j] === 0) j += 1;
    if (j - i > best.length) best = { at: i, length: j - i };
    i = j === i ? i + 1 : j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (best.at < 0) return hex.join(':');
  return `${hex.slice(0, best.at).join(':')}::${hex.slice(best.at + best.length).join(':')}`;
}

/**
 * Each network of an IPv4 address from /`shortest` to the address itself (written without /32), as
 * `formatNetwork(networkOf(address, bits), bits)` would write them, in 32-bit arithmetic: every send asks.
 */
export function ipv4Networks(address: Address, shortest: number): string[] {
  const value = Number(address.bits);
  const networks: string[] = [];
  for (let bits = shortest; bits <= 32; bits += 1) {
    const text = formatIPv4((value & (0xffffffff << (32 - bits))) >>> 0);
    networks.push(bits === 32 ? text : `${text}/${bits}`);
  }
  return networks;
}

/** An IPv4 address held in 32 bits, dotted. */
function formatIPv4(value: number): string {
  return `${value >>> 24}.${(value >>> 16) & 255}.${(value >>> 8) & 255}.${value & 255}`;
}

export function widthOf(address: Address): number {
  return WIDTH[address.version];
}
