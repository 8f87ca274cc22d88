// Finds the keys a test app wrote in Redis (its session, a user's challenge record), to age or restore them as an attacker or a clock would.
import type Redis from 'ioredis';

/** Every key under a test prefix. KEYS is fine here: one small test prefix, never in the library. */
export async function keysUnder(redis: Redis, pattern: string): Promise<string[]> {
  return redis.keys(pattern);
}

/** The one challenge record of the test app with this prefix (one user per test). */
export async function challengeKey(redis: Redis, prefix: string): Promise<string> {
  const keys = await keysUnder(redis, `${prefix}mfa:*:challenge`);
  if (keys.length !== 1) throw new Error(`expected one challenge record under ${prefix}, found ${keys.length}`);
  return keys[0] as string;
}

/** The session id inside an express-session cookie (`sid=s%3A<id>.<signature>`). */
export function sessionIdOf(cookie: string): string {
  const value = decodeURIComponent(cookie.slice(cookie.indexOf('=') + 1));
  const match = /^s:([^.]+)\./.exec(value);
  if (!match) throw new Error('not a signed session cookie');
  return match[1] as string;
}

/** Where connect-redis keeps that session in the test app built by create-app.ts. */
export function sessionKey(prefix: string, cookie: string): string {
  return `${prefix}sess:${sessionIdOf(cookie)}`;
}

export async function sessionCount(redis: Redis, prefix: string): Promise<number> {
  return (await keysUnder(redis, `${prefix}sess:*`)).length;
}

/** Removes what a test wrote, so the shared Redis does not fill up with test keys. */
export async function deleteUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, `${prefix}*`);
  if (keys.length > 0) await redis.del(...keys);
}
