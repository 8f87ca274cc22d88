// The keys that sign trusted-device cookies: the app's own, or one random key shared through the store.
import { randomBytes } from 'node:crypto';
import type { MfaConfig } from '../options';

/** Outside any user's hash tag on purpose: one key for the whole deployment. */
const SHARED_KEY = 'trusted-devices:signing-key';
/** Ten years: the key must outlive every cookie it signed. */
const SHARED_KEY_TTL_SECONDS = 10 * 365 * 86_400;

const cache = new WeakMap<MfaConfig, Promise<string[]>>();

export function signingKeys(config: MfaConfig): Promise<string[]> {
  const own = config.trustedDevices?.secrets;
  if (own) return Promise.resolve(own);
  let keys = cache.get(config);
  if (!keys) {
    keys = sharedKey(config).then((key) => [key]);
    // A store failure must not be remembered: the next request tries again.
    keys.catch(() => cache.delete(config));
    cache.set(config, keys);
  }
  return keys;
}

async function sharedKey(config: MfaConfig): Promise<string> {
  // setIfAbsent first: of several instances starting together, exactly one key wins and all read it.
  await config.store.setIfAbsent(SHARED_KEY, randomBytes(32).toString('base64url'), SHARED_KEY_TTL_SECONDS);
  const stored = await config.store.get(SHARED_KEY);
  if (!stored) throw new Error('the trusted-device signing key vanished from the store');
  return stored.value;
}
