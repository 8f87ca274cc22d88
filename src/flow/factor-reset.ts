// After a reset or a removal of the factor, only a session signed in since may enrol a first number.
import type { MfaConfig, MfaUser } from '../options';
import { MfaError } from '../errors';
import { onceAMinuteFor } from './warning-bursts';
import { fromStore, isStoredValue, brokenStore, type FlowContext } from './context';
import { userKeys } from './keys';
import { LOG_PREFIX } from '../log-prefix';

/** Longer than any session should live: until then, an older session cannot enrol in place of the owner. */
export const FACTOR_RESET_TTL_SECONDS = 400 * 86_400;

/**
 * Records that the user's factor was reset or removed. Only the key's age is read back, by the store's
 * clock, so neither an operator's host clock nor the app's decides when it happened.
 */
export async function markFactorReset(config: MfaConfig, userId: string): Promise<void> {
  await config.store.set(userKeys(userId).factorReset, '1', FACTOR_RESET_TTL_SECONDS);
}

/**
 * A session that passed the password step before the last reset or removal (or whose sign-in time is not
 * known) is told to sign in again: the attacker holding a password waits for exactly that moment.
 */
export async function requireSignInSinceReset(ctx: FlowContext): Promise<void> {
  const { config, keys, user } = ctx;
  const mark: unknown = await fromStore(config, config.store.get(keys.factorReset));
  if (mark === null) return;
  if (!isStoredValue(mark)) throw brokenStore(config, 'a value that is not `{ value, ttlMs }`');
  const resetAt = Date.now() - (FACTOR_RESET_TTL_SECONDS * 1000 - mark.ttlMs);
  const signedInAt = signedInAtOf(user);
  if (signedInAt === undefined) {
    // One line a minute: the app gives no sign-in time, so its users cannot enrol after a reset.
    onceAMinuteFor(config)(
      'missing-signed-in-at',
      LOG_PREFIX +
        'getUser() gives no signedInAt, so after a reset or removal of the factor no session may add a number; return the time your login route checked the password.',
      'warn',
    );
  }
  if (signedInAt === undefined || signedInAt <= resetAt) throw new MfaError('reauthentication_required');
}

/** `MfaUser.signedInAt` as ms; undefined when the app does not say. */
export function signedInAtOf(user: MfaUser): number | undefined {
  const at = user.signedInAt;
  if (at === undefined || at === null) return undefined;
  return at instanceof Date ? at.getTime() : at;
}
