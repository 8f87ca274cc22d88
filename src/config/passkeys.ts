// Checks the `passkeys` option once at start-up: the relying party, its origins, the storage hooks.
import type { MfaConfig } from '../options';
import type { PasskeysOptions } from '../passkeys/types';
import { loadWebAuthn } from '../passkeys/webauthn';
import { describe, fail, integerIn, rejectUnknownKeys } from './checks';

const HOOKS = ['listPasskeys', 'savePasskey', 'updatePasskeyCounter', 'removePasskey'] as const;
const KNOWN = ['rpId', 'rpName', 'origins', ...HOOKS, 'userVerification', 'challengeTtlSeconds', 'maxPasskeys', 'allowRemovingLastFactor'];
const DOMAIN = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

export function resolvePasskeys(option: PasskeysOptions | undefined): MfaConfig['passkeys'] {
  if (option === undefined) return undefined;
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    fail(
      `\`passkeys\` must be an object such as \`{ rpId: "example.com", rpName: "Example", origins: ["https://example.com"], listPasskeys, savePasskey, updatePasskeyCounter, removePasskey }\`; got ${describe(option)}.`,
    );
  }
  rejectUnknownKeys('passkeys.', option, KNOWN);
  const rpId = option.rpId;
  if (typeof rpId !== 'string' || !DOMAIN.test(rpId)) {
    fail(`\`passkeys.rpId\` must be your site's domain in lower case, without scheme or port, e.g. "example.com"; got ${describe(rpId)}.`);
  }
  if (typeof option.rpName !== 'string' || option.rpName.trim() === '' || option.rpName.length > 64) {
    fail(
      `\`passkeys.rpName\` must be your site's name as people know it (1–64 characters), e.g. "Example Co."; got ${describe(option.rpName)}.`,
    );
  }
  const origins = option.origins;
  if (!Array.isArray(origins) || origins.length === 0)
    fail('`passkeys.origins` must be a non-empty array of the origins your pages run on, e.g. ["https://example.com"].');
  origins.forEach((origin, i) => checkOrigin(`passkeys.origins[${i}]`, origin, rpId));
  for (const hook of HOOKS) {
    if (typeof option[hook] !== 'function') fail(`\`passkeys.${hook}\` is required: ${HOOK_HELP[hook]}`);
  }
  const userVerification = option.userVerification ?? 'required';
  if (userVerification !== 'required' && userVerification !== 'preferred') {
    fail(`\`passkeys.userVerification\` must be "required" or "preferred"; got ${describe(userVerification)}.`);
  }
  const allowRemovingLastFactor = option.allowRemovingLastFactor ?? false;
  if (typeof allowRemovingLastFactor !== 'boolean')
    fail(`\`passkeys.allowRemovingLastFactor\` must be true or false; got ${describe(allowRemovingLastFactor)}.`);
  // Loaded now, once, so that a missing package stops the start rather than the first sign-in.
  loadWebAuthn();
  return {
    rpId,
    rpName: option.rpName,
    origins: [...origins],
    listPasskeys: option.listPasskeys,
    savePasskey: option.savePasskey,
    updatePasskeyCounter: option.updatePasskeyCounter,
    removePasskey: option.removePasskey,
    userVerification,
    challengeTtlSeconds: integerIn(
      'passkeys.challengeTtlSeconds',
      option.challengeTtlSeconds,
      120,
      30,
      600,
      'A short life limits what an intercepted challenge is worth.',
    ),
    maxPasskeys: integerIn('passkeys.maxPasskeys', option.maxPasskeys, 10, 1, 50),
    allowRemovingLastFactor,
  };
}

/** An origin the browser would report: `https://host[:port]` under the RP id (`http:` for localhost only). */
function checkOrigin(name: string, origin: unknown, rpId: string): void {
  let url: URL | undefined;
  try {
    url = typeof origin === 'string' ? new URL(origin) : undefined;
  } catch {
    url = undefined;
  }
  const local = url?.hostname === 'localhost';
  if (!url || url.origin !== origin || !(url.protocol === 'https:' || (local && url.protocol === 'http:'))) {
    fail(
      `\`${name}\` must be an origin such as "https://example.com" (scheme, host and port only; http only for localhost); got ${describe(origin)}.`,
    );
  }
  if (url.hostname !== rpId && !url.hostname.endsWith(`.${rpId}`)) {
    fail(`\`${name}\` (${url.hostname}) is not \`passkeys.rpId\` (${rpId}) or a host under it; browsers would refuse every passkey there.`);
  }
}

const HOOK_HELP: Record<(typeof HOOKS)[number], string> = {
  listPasskeys: "`(userId) => StoredPasskey[]` reads the user's passkeys from your records.",
  savePasskey: '`(userId, passkey, req) => ...` stores a new passkey (credential id, public key, counter, transports, name, dates).',
  updatePasskeyCounter: '`(userId, credentialId, counter, lastUsedAt) => ...` records a sign-in with that passkey.',
  removePasskey: '`(userId, credentialId) => boolean` deletes that passkey of that user and says whether it was there.',
};
