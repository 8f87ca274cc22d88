// The keys that sign trusted-device cookies: the app's own, or one random key shared through the store.
import { randomBytes } from 'node:crypto';
import type { MfaConfig } from '../options';
import { signingKey, type SigningKey } from './cookie-value';

/** Outside any user's hash tag on purpose: one key for the whole deployment. */
const SHARED_KEY = 'trusted-devices:signing-key';
/** Ten years: the key must outlive every cookie it signed. */
const SHARED_KEY_TTL_SECONDS = 10 * 365 * 86_400;
/** A process re-reads the shared key this often, so instances that disagreed (the key was lost) converge. */
const REREAD_AFTER_MS = 10 * 60_000;
/** ...and at most this often when a cookie names a key it does not hold: an attacker cannot make it read on every request. */
const UNKNOWN_KEY_REREAD_MS = 1000;

interface Cached {
  keys: Promise<SigningKey[]>;
  readAt: number;
}

const cache = new WeakMap<MfaConfig, Cached>();

/** The keys, newest (the signing one) first. */
export function signingKeys(config: MfaConfig): Promise<SigningKey[]> {
  const own = config.trustedDevices?.secrets;
  if (own) return Promise.resolve(own.map(signingKey));
  const cached = cache.get(config);
  if (cached && Date.now() - cached.readAt < REREAD_AFTER_MS) return cached.keys;
  return read(config);
}

/**
 * A cookie named a key this process does not hold: another instance may have created a new shared key
 * after ours was lost from the store. Read it again (rate-limited) before calling the cookie anything.
 */
export function signingKeysAfterUnknownKey(config: MfaConfig): Promise<SigningKey[]> | undefined {
  if (config.trustedDevices?.secrets) return undefined;
  const cached = cache.get(config);
  if (cached && Date.now() - cached.readAt < UNKNOWN_KEY_REREAD_MS) return undefined;
  return read(config);
}

function read(config: MfaConfig): Promise<SigningKey[]> {
  const keys = sharedKey(config).then((secret) => [signingKey(secret)]);
  const entry = { keys, readAt: Date.now() };
  // A store failure must not be remembered: the next request tries again.
  keys.catch(() => {
    if (cache.get(config) === entry) cache.delete(config);
  });
  cache.set(config, entry);
  return keys;
}

async function sharedKey(config: MfaConfig): Promise<string> {
  // Set only if absent first: of several instances starting together, exactly one key wins and all read it.
  await config.store.set(SHARED_KEY, randomBytes(32).toString('base64url'), SHARED_KEY_TTL_SECONDS, true);
  const stored = await config.store.get(SHARED_KEY);
  if (!stored) throw new Error('the trusted-device signing key vanished from the store');
  return stored.value;
}
