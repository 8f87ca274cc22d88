// Recovery codes in place of the phone: counted in the same budget as codes, consumed once through the app's hook.
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';
import { appHook } from '../config/hooks';
import { newRecoveryCodes, normaliseRecoveryCode, recoveryCodeHashes } from '../recovery/codes';
import { fromStore, type FlowContext } from './context';
import { countAttempt } from './lockout';
import { rejectedAttempt } from './verify';
import { LOG_PREFIX } from '../log-prefix';

export function recoveryOptions(config: MfaConfig): NonNullable<MfaConfig['recoveryCodes']> {
  if (!config.recoveryCodes) {
    config.logger.error(LOG_PREFIX + 'a recovery-code route was used without the `recoveryCodes` option; the request was refused.');
    throw new MfaError('not_configured');
  }
  return config.recoveryCodes;
}

/** Codes the user has left, or undefined when the app's count failed (logged): a page can do without it. */
export async function recoveryCodesLeft(config: MfaConfig, userId: string): Promise<number | undefined> {
  const recovery = config.recoveryCodes;
  if (!recovery) return undefined;
  try {
    const count: unknown = await appHook(config, 'recoveryCodes.countRecoveryCodes', () => recovery.countRecoveryCodes(userId));
    return Number.isSafeInteger(count) && (count as number) >= 0 ? (count as number) : undefined;
  } catch {
    return undefined;
  }
}

/** A new set replacing the old one entirely; returns the codes to show once. */
export async function makeRecoveryCodes(config: MfaConfig, userId: string, actor?: string, req?: Request): Promise<string[]> {
  const codes = newRecoveryCodes();
  await saveRecoveryCodeSet(config, userId, codes, actor, req);
  return codes;
}

/** Replaces the user's set with these codes: from now on only they work. */
export async function saveRecoveryCodeSet(
  config: MfaConfig,
  userId: string,
  codes: string[],
  actor?: string,
  req?: Request,
): Promise<void> {
  const recovery = recoveryOptions(config);
  // Hashed with the newest secret; older ones only still verify codes made before a rotation.
  const hashes = codes.map((code) => recoveryCodeHashes(code, recovery.secrets.slice(0, 1))[0] as string);
  await appHook(config, 'recoveryCodes.saveRecoveryCodes', () => recovery.saveRecoveryCodes(userId, hashes));
  config.emit({ type: 'recovery_codes_generated', userId, ...(actor ? { actor } : {}) }, req);
}

/**
 * Checks a recovery code. Counted before the app is asked, in the same per-user budget and lockout as
 * codes, so the recovery route is no way around a lockout; consumed by the app's atomic hook, so
 * parallel submissions of one code succeed once.
 */
export async function useRecoveryCode(ctx: FlowContext, input: unknown): Promise<{ recoveryCodesLeft: number | undefined }> {
  const { config, keys, user } = ctx;
  const recovery = recoveryOptions(config);
  const code = normaliseRecoveryCode(input);
  if (code === undefined) throw new MfaError('invalid_request', {}, { messageKey: 'invalid_recovery_code_format' });

  const attempt = await countAttempt(ctx);
  let consumed = false;
  for (const hash of recoveryCodeHashes(code, recovery.secrets)) {
    // Exactly `true`: a hook that answers anything else has not consumed the code.
    consumed = (await appHook(config, 'recoveryCodes.consumeRecoveryCode', () => recovery.consumeRecoveryCode(user.id, hash))) === true;
    if (consumed) break;
  }
  if (!consumed) {
    config.emit(
      { type: 'code_rejected', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, reason: 'invalid_recovery_code' },
      ctx.req,
    );
    throw await rejectedAttempt(ctx, attempt);
  }
  // A success ends the guessing budget and the failure streak, as a right code does.
  await fromStore(config, config.store.delete([keys.attempts, keys.streak]));
  const left = await recoveryCodesLeft(config, user.id);
  config.emit(
    {
      type: 'recovery_code_used',
      userId: user.id,
      maskedPhoneNumber: ctx.maskedPhoneNumber,
      ...(left !== undefined ? { recoveryCodesLeft: left } : {}),
    },
    ctx.req,
  );
  return { recoveryCodesLeft: left };
}
