// Removing a passkey, and the rule that the last second factor stays unless the policy says otherwise.
import { MfaError } from '../errors';
import { appHook } from '../config/hooks';
import type { FlowContext } from '../flow/context';
import { requireFreshFactor } from '../flow/freshness';
import { passkeysOf, passkeysOptions } from './list';

/** Removes one of the user's passkeys, with a fresh second factor; the user's sessions and browsers stay as they are. */
export async function removePasskey(ctx: FlowContext, credentialId: string, returnTo?: string): Promise<void> {
  const { config, user } = ctx;
  const passkeys = passkeysOptions(config);
  requireFreshFactor(ctx, returnTo);
  const list = await passkeysOf(config, user.id);
  const target = list.find((passkey) => passkey.credentialId === credentialId);
  if (!target) throw new MfaError('passkey_not_found');
  if (!passkeys.allowRemovingLastFactor && user.phoneNumber === null && list.length === 1) throw new MfaError('last_factor');
  const removed = await appHook(config, 'passkeys.removePasskey', () => passkeys.removePasskey(user.id, credentialId));
  if (removed !== true) throw new MfaError('passkey_not_found');
  config.emit({ type: 'passkey_removed', userId: user.id, credentialId, passkeyName: target.name }, ctx.req);
}

/** With passkeys on, a number is the last factor of a user without a passkey: kept unless the policy allows. */
export async function refuseRemovingLastNumber(ctx: FlowContext): Promise<void> {
  const passkeys = ctx.config.passkeys;
  if (!passkeys || passkeys.allowRemovingLastFactor) return;
  if ((await passkeysOf(ctx.config, ctx.user.id)).length === 0) throw new MfaError('last_factor');
}
