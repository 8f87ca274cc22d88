// The user's passkeys through the app's `listPasskeys` hook, checked: a malformed record never reaches a verification.
import type { MfaConfig } from '../options';
import type { StoredPasskey } from './types';
import { MfaError } from '../errors';
import { appHook } from '../config/hooks';
import { LOG_PREFIX } from '../log-prefix';

/** base64url without padding, as WebAuthn ids travel; 1 023 bytes is the longest id the spec allows. */
export const BASE64URL = /^[A-Za-z0-9_-]{1,1366}$/;

export function passkeysOptions(config: MfaConfig): NonNullable<MfaConfig['passkeys']> {
  if (!config.passkeys) {
    config.logger.error(LOG_PREFIX + 'a passkey route was used without the `passkeys` option; the request was refused.');
    throw new MfaError('not_configured');
  }
  return config.passkeys;
}

export async function passkeysOf(config: MfaConfig, userId: string): Promise<StoredPasskey[]> {
  const passkeys = passkeysOptions(config);
  const list: unknown = await appHook(config, 'passkeys.listPasskeys', () => passkeys.listPasskeys(userId));
  if (!Array.isArray(list) || !list.every(isStoredPasskey)) {
    config.logger.error(
      LOG_PREFIX +
        'passkeys.listPasskeys(userId) must return an array of { credentialId, publicKey (base64url strings), counter (whole number), transports (strings), name, createdAt, lastUsedAt }; the request was refused.',
    );
    throw new MfaError('not_configured');
  }
  return list;
}

/** Whether the user has a passkey; only called off the guard's fast path. */
export async function hasPasskey(config: MfaConfig, userId: string): Promise<boolean> {
  return (await passkeysOf(config, userId)).length > 0;
}

/** How many passkeys the user has, or undefined when the hook failed (logged): a page can do without it. */
export async function passkeyCount(config: MfaConfig, userId: string): Promise<number | undefined> {
  if (!config.passkeys) return undefined;
  try {
    return (await passkeysOf(config, userId)).length;
  } catch {
    return undefined;
  }
}

function isStoredPasskey(value: unknown): value is StoredPasskey {
  const passkey = value as Partial<StoredPasskey> | null;
  return (
    typeof passkey === 'object' &&
    passkey !== null &&
    typeof passkey.credentialId === 'string' &&
    BASE64URL.test(passkey.credentialId) &&
    typeof passkey.publicKey === 'string' &&
    BASE64URL.test(passkey.publicKey) &&
    Number.isSafeInteger(passkey.counter) &&
    (passkey.counter as number) >= 0 &&
    Array.isArray(passkey.transports) &&
    passkey.transports.every((transport) => typeof transport === 'string')
  );
}
