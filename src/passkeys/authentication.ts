// Signing in with a passkey: options for the browser, then the assertion checked under the same budget and lockout as codes.
import { MfaError } from '../errors';
import { appHook } from '../config/hooks';
import { SCOPE_PATTERN } from '../config/templates';
import { fromStore, isStoredValue, type FlowContext } from '../flow/context';
import { budgetSpent, countAttempt, lockAfterFailures, lockedError, type CountedAttempt } from '../flow/lockout';
import { safeReturnTo } from '../flow/return-to';
import { fieldsOf } from '../flow/send';
import { loadWebAuthn } from './webauthn';
import { passkeysOf, passkeysOptions } from './list';
import { consumeCeremony, pendingCeremony, startCeremony } from './challenge';
import { parseCredential } from './body';
import { rejectionReason } from './reasons';
import { LOG_PREFIX } from '../log-prefix';

export interface PasskeySignIn {
  scope: string;
  returnTo?: string;
  credentialId: string;
}

/**
 * The options for `navigator.credentials.get()`, listing the user's passkeys. Refused while the user is
 * locked out, and for a user without a passkey. The scope is what the guard asked for (or `scope` in the body).
 */
export async function authenticationOptions(ctx: FlowContext, body: unknown): Promise<unknown> {
  const { config, keys, user } = ctx;
  const passkeys = passkeysOptions(config);
  const fields = fieldsOf(body);
  if (fields.scope !== undefined && (typeof fields.scope !== 'string' || !SCOPE_PATTERN.test(fields.scope)))
    throw new MfaError('invalid_request');
  const lockout = await fromStore(config, config.store.get(keys.lockout));
  if (lockout && isStoredValue(lockout)) throw lockedError(lockout);
  const list = await passkeysOf(config, user.id);
  if (list.length === 0) throw new MfaError('passkey_not_found');
  const requested = ctx.session.mfa?.requested;
  const scope = fields.scope ?? requested?.scope ?? config.scope;
  const returnTo = safeReturnTo(fields.returnTo) ?? (requested?.scope === scope ? requested.returnTo : undefined);
  const options = await loadWebAuthn().generateAuthenticationOptions({
    rpID: passkeys.rpId,
    allowCredentials: list.map((passkey) => ({ id: passkey.credentialId, transports: passkey.transports })),
    userVerification: passkeys.userVerification,
    timeout: passkeys.challengeTtlSeconds * 1000,
  });
  await startCeremony(
    ctx,
    { kind: 'authentication', userId: user.id, challenge: options.challenge, scope, ...(returnTo ? { returnTo } : {}) },
    passkeys.challengeTtlSeconds,
  );
  return options;
}

/**
 * Checks an assertion. A well-formed one is counted in the user's attempt budget before anything else
 * (a locked user is refused here, counting nothing); the challenge is spent at once, so a replay or a
 * racing twin fails; then the credential must be one of this user's, signed for our origin and RP id,
 * with user verification, and with a signature counter that moved forward (a counter that goes
 * backwards means a cloned authenticator: refused and reported).
 */
export async function verifyAuthentication(ctx: FlowContext, body: unknown): Promise<PasskeySignIn> {
  const { config, keys, user } = ctx;
  const passkeys = passkeysOptions(config);
  const response = parseCredential(body, 'authentication');
  const pending = pendingCeremony(ctx, 'authentication');
  const attempt = await countAttempt(ctx);
  const reject = (reason: string) => rejected(ctx, attempt, reason, response.id);
  if (!(await consumeCeremony(ctx, pending))) throw await reject('challenge_used');

  const stored = (await passkeysOf(config, user.id)).find((passkey) => passkey.credentialId === response.id);
  if (!stored) throw await reject('unknown_credential');
  let info;
  try {
    const result = await loadWebAuthn().verifyAuthenticationResponse({
      response: response as never,
      expectedChallenge: pending.challenge,
      expectedOrigin: passkeys.origins,
      expectedRPID: passkeys.rpId,
      // Counter 0 here: the comparison is ours, below, so that a clone is told apart from a bad signature.
      credential: {
        id: stored.credentialId,
        publicKey: Buffer.from(stored.publicKey, 'base64url'),
        counter: 0,
        transports: stored.transports,
      },
      requireUserVerification: passkeys.userVerification === 'required',
    });
    info = result.verified ? result.authenticationInfo : undefined;
  } catch (error) {
    throw await reject(rejectionReason(error));
  }
  if (!info) throw await reject('bad_signature');
  const counter = info.newCounter;
  if ((counter > 0 || stored.counter > 0) && counter <= stored.counter) {
    config.logger.warn(
      LOG_PREFIX +
        'a passkey answered with a signature counter that did not move forward, the sign of a cloned authenticator; it was refused (see the passkey_rejected event).',
    );
    throw await reject('counter_went_backwards');
  }

  await appHook(config, 'passkeys.updatePasskeyCounter', () =>
    passkeys.updatePasskeyCounter(user.id, stored.credentialId, counter, new Date()),
  );
  // A success ends the guessing budget and the failure streak, as a right code does.
  await fromStore(config, config.store.delete([keys.attempts, keys.streak]));
  config.emit({ type: 'passkey_used', userId: user.id, credentialId: stored.credentialId, scope: pending.scope }, ctx.req);
  return { scope: pending.scope, returnTo: pending.returnTo, credentialId: stored.credentialId };
}

/** After a refused assertion: reported, then a lockout when that spent the budget, otherwise `invalid_passkey` with what is left. */
async function rejected(ctx: FlowContext, attempt: CountedAttempt, reason: string, credentialId: string): Promise<MfaError> {
  ctx.config.emit({ type: 'passkey_rejected', userId: ctx.user.id, reason, credentialId }, ctx.req);
  if (budgetSpent(ctx.config, attempt)) return lockAfterFailures(ctx, attempt.streak);
  return new MfaError('invalid_passkey', { attemptsRemaining: ctx.config.maxAttempts - attempt.attempts });
}
