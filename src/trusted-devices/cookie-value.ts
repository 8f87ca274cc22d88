// The trusted-device cookie: what it says (user, device, token, generation, expiry) and its HMAC signature.
import { createHmac, timingSafeEqual } from 'node:crypto';

export interface DeviceClaim {
  /** `userTag(userId)`: binds the cookie to one user without putting the id in it. */
  user: string;
  deviceId: string;
  /** Random; only its hash is stored. */
  token: string;
  /** The user's trust generation when the cookie was made. */
  generation: number;
  /** Unix seconds. */
  expiresAt: number;
}

const VERSION = 'v1';
const PART = /^[A-Za-z0-9_-]{1,64}$/;

export function signClaim(claim: DeviceClaim, key: string): string {
  const payload = [VERSION, claim.user, claim.deviceId, claim.token, claim.generation, claim.expiresAt].join('.');
  return `${payload}.${mac(payload, key)}`;
}

/**
 * The claim when the value is well formed and signed by one of `keys`; `forged` when it looks like
 * ours but the signature does not match (tampering); `absent` for anything else (another app's cookie).
 */
export function readClaim(value: string | undefined, keys: string[]): DeviceClaim | 'forged' | 'absent' {
  if (value === undefined || value === '') return 'absent';
  const parts = value.split('.');
  if (parts.length !== 7 || parts[0] !== VERSION) return 'forged';
  const [, user, deviceId, token, generation, expiresAt, signature] = parts as [string, string, string, string, string, string, string];
  if (![user, deviceId, token, signature].every((part) => PART.test(part)) || !/^\d{1,15}$/.test(generation) || !/^\d{1,12}$/.test(expiresAt)) {
    return 'forged';
  }
  const payload = parts.slice(0, 6).join('.');
  if (!keys.some((key) => sameText(mac(payload, key), signature))) return 'forged';
  return { user, deviceId, token, generation: Number(generation), expiresAt: Number(expiresAt) };
}

export function sameText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function mac(payload: string, key: string): string {
  return createHmac('sha256', key).update(payload).digest('base64url');
}
