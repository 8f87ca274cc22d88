// The trusted-device cookie: what it says (key id, user, device, token, expiry) and its HMAC signature.
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

export interface DeviceClaim {
  /** `userTag(userId)`: binds the cookie to one user without putting the id in it. */
  user: string;
  deviceId: string;
  /** Random; only its hash is stored. */
  token: string;
  /** Unix seconds. */
  expiresAt: number;
}

export interface SigningKey {
  /** Names the key inside the cookie, so a cookie signed by a key we do not have is told apart from a forgery. */
  id: string;
  secret: string;
}

/** What a cookie value turns out to be. `unknown-key`: ours in shape, signed by a key this process does not hold. */
export type ReadClaim = DeviceClaim | 'forged' | 'unknown-key' | 'absent';

const VERSION = 'v2';
const PART = /^[A-Za-z0-9_-]{1,64}$/;

export function signingKey(secret: string): SigningKey {
  return { id: createHash('sha256').update(secret).digest('base64url').slice(0, 8), secret };
}

export function signClaim(claim: DeviceClaim, key: SigningKey): string {
  const payload = [VERSION, key.id, claim.user, claim.deviceId, claim.token, claim.expiresAt].join('.');
  return `${payload}.${mac(payload, key.secret)}`;
}

/**
 * The claim when the value is well formed and signed by one of `keys`. `forged` only when it names one
 * of our keys and the signature does not match (tampering); `unknown-key` when it names another key (a
 * retired one, or one another instance holds); `absent` for anything else (another app's cookie, an
 * older format), which is no evidence of an attack and is never counted as one.
 */
export function readClaim(value: string | undefined, keys: SigningKey[]): ReadClaim {
  if (value === undefined || value === '') return 'absent';
  const parts = value.split('.');
  if (parts.length !== 7 || parts[0] !== VERSION) return 'absent';
  const [, keyId, user, deviceId, token, expiresAt, signature] = parts as [string, string, string, string, string, string, string];
  if (![keyId, user, deviceId, token, signature].every((part) => PART.test(part)) || !/^\d{1,12}$/.test(expiresAt)) return 'absent';
  const key = keys.find((candidate) => candidate.id === keyId);
  if (!key) return 'unknown-key';
  if (!sameText(mac(parts.slice(0, 6).join('.'), key.secret), signature)) return 'forged';
  return { user, deviceId, token, expiresAt: Number(expiresAt) };
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function mac(payload: string, secret: string): string {
  return createHmac('sha256', secret).update(payload).digest('base64url');
}
