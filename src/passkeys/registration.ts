// Binding a new passkey: options for the browser, then the attestation checked and the credential saved through the app's hook.
import { createHash } from 'node:crypto';
import { MfaError } from '../errors';
import { appHook } from '../config/hooks';
import type { FlowContext } from '../flow/context';
import { requireFreshFactor } from '../flow/freshness';
import type { StoredPasskey } from './types';
import { loadWebAuthn } from './webauthn';
import { passkeysOf, passkeysOptions } from './list';
import { consumeCeremony, pendingCeremony, startCeremony } from './challenge';
import { parseCredential, parsePasskeyName } from './body';
import { rejectionReason } from './reasons';

/**
 * The options for `navigator.credentials.create()`. Binding a passkey needs a fresh second factor (the
 * rule a number change follows); the user's existing passkeys are excluded so one authenticator is bound once.
 */
export async function registrationOptions(ctx: FlowContext, returnTo?: string): Promise<unknown> {
  const { config, user } = ctx;
  const passkeys = passkeysOptions(config);
  requireFreshFactor(ctx, returnTo);
  const existing = await passkeysOf(config, user.id);
  if (existing.length >= passkeys.maxPasskeys) throw new MfaError('passkey_limit_reached', {}, { params: { max: passkeys.maxPasskeys } });
  const options = await loadWebAuthn().generateRegistrationOptions({
    rpName: passkeys.rpName,
    rpID: passkeys.rpId,
    userName: typeof user.name === 'string' && user.name !== '' ? user.name.slice(0, 64) : user.id,
    // Opaque and stable: the authenticator keeps it, so it must not carry the app's id or personal data.
    userID: createHash('sha256').update(`express-bandwidth-mfa:${user.id}`).digest(),
    attestationType: 'none',
    timeout: passkeys.challengeTtlSeconds * 1000,
    excludeCredentials: existing.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    authenticatorSelection: { residentKey: 'preferred', userVerification: passkeys.userVerification },
  });
  await startCeremony(
    ctx,
    { kind: 'registration', userId: user.id, challenge: options.challenge, scope: config.scope },
    passkeys.challengeTtlSeconds,
  );
  return options;
}

/**
 * Checks the attestation against this session's challenge (spent whatever the outcome), the origins and
 * the RP id, with user verification as configured, then saves the credential. Nothing else is revoked.
 */
export async function verifyRegistration(ctx: FlowContext, body: unknown): Promise<StoredPasskey> {
  const { config, user } = ctx;
  const passkeys = passkeysOptions(config);
  const response = parseCredential(body, 'registration');
  const name = parsePasskeyName(body);
  const pending = pendingCeremony(ctx, 'registration');
  requireFreshFactor(ctx);
  const reject = (reason: string) => {
    config.emit({ type: 'passkey_rejected', userId: user.id, reason, credentialId: response.id }, ctx.req);
    return new MfaError('invalid_passkey');
  };
  if (!(await consumeCeremony(ctx, pending))) throw reject('challenge_used');

  let info;
  try {
    const result = await loadWebAuthn().verifyRegistrationResponse({
      response: response as never,
      expectedChallenge: pending.challenge,
      expectedOrigin: passkeys.origins,
      expectedRPID: passkeys.rpId,
      requireUserVerification: passkeys.userVerification === 'required',
    });
    info = result.verified ? result.registrationInfo : undefined;
  } catch (error) {
    throw reject(rejectionReason(error));
  }
  if (!info) throw reject('verification_failed');
  const existing = await passkeysOf(config, user.id);
  if (existing.some((passkey) => passkey.credentialId === info.credential.id)) throw reject('already_registered');

  const passkey: StoredPasskey = {
    credentialId: info.credential.id,
    publicKey: Buffer.from(info.credential.publicKey).toString('base64url'),
    counter: info.credential.counter,
    transports: (response.response.transports as string[] | undefined) ?? [],
    name,
    createdAt: new Date(),
    lastUsedAt: null,
  };
  await appHook(config, 'passkeys.savePasskey', () => passkeys.savePasskey(user.id, passkey, ctx.req));
  config.emit({ type: 'passkey_added', userId: user.id, credentialId: passkey.credentialId, passkeyName: name }, ctx.req);
  return passkey;
}
