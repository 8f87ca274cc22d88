// Checking a code: count first, refuse what cannot be right without asking Bandwidth, consume exactly once.
import { MfaError } from '../errors';
import type { PendingChallenge } from '../session-state';
import { fromStore, mfaState, type FlowContext } from './context';
import { countAttempt, lockUser, refuseIfLockedOut } from './lockout';
import { providerFailure } from './provider-failure';

const WINDOW_MARGIN_MS = 15_000;
const ASCII_DIGITS = /^[0-9]+$/;

export interface VerifyOutcome {
  /** The challenge that was passed; the caller records the verification and regenerates the session. */
  challenge: PendingChallenge;
}

/** Only a string of ASCII digits of the configured length is ever sent to Bandwidth. */
export function parseCode(body: unknown, digits: number): string {
  const code = typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Record<string, unknown>).code : undefined;
  if (typeof code !== 'string' || code.length !== digits || !ASCII_DIGITS.test(code)) {
    throw new MfaError('invalid_request', {}, { messageKey: 'invalid_code_format', params: { digits } });
  }
  return code;
}

export async function verifyCode(ctx: FlowContext, code: string): Promise<VerifyOutcome> {
  const { config, keys, user } = ctx;
  const { store } = config;
  const pending = mfaState(ctx.session).pending;
  if (!pending || pending.userId !== user.id) throw new MfaError('no_pending_challenge');

  await refuseIfLockedOut(ctx);
  // Counted in the shared store before anything else: parallel requests, new sessions and other
  // instances all draw from one budget, and at most `maxAttempts` codes ever reach Bandwidth.
  const attempt = await countAttempt(ctx);
  if (attempt > config.maxAttempts) throw await lockUser(ctx, config.lockoutSeconds, 'attempts_exhausted');
  const rejectAs = (reason: string) => reject(ctx, pending, attempt, reason);

  const stored = await fromStore(config, store.get(keys.challenge));
  if (!stored) throw await rejectAs('challenge_expired');
  if (stored.value !== pending.id) throw await rejectAs('challenge_replaced');

  let valid: boolean;
  try {
    valid = await config.provider.verifyCode({
      to: user.phoneNumber,
      code,
      scope: pending.providerScope,
      expirationTimeInMinutes: windowMinutes(config.codeTtlSeconds, stored.ttlMs),
    });
  } catch (error) {
    throw await providerFailure(ctx, error, pending.scope);
  }
  if (!valid) throw await rejectAs('invalid_code');

  // Bandwidth does not make codes single use; this compare-and-delete does, for exactly one caller.
  if (!(await fromStore(config, store.deleteIfEquals(keys.challenge, pending.id)))) throw await rejectAs('challenge_used');
  // A success ends the guessing budget and the resend wait: a step-up code right after sign-in must not wait 30 s.
  await fromStore(config, store.delete(keys.attempts, keys.cooldown));
  config.emit({ type: 'code_verified', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, channel: pending.channel, scope: pending.scope });
  return { challenge: pending };
}

/**
 * The smallest whole-minute window that still holds the code: its age by the store's clock (plus a
 * margin for the time the send call took and clock drift), rounded up, never more than the code's life.
 */
export function windowMinutes(codeTtlSeconds: number, remainingMs: number): number {
  const ageMs = codeTtlSeconds * 1000 - remainingMs + WINDOW_MARGIN_MS;
  const lifeMinutes = Math.ceil(codeTtlSeconds / 60);
  return Math.min(lifeMinutes, Math.max(1, Math.ceil(ageMs / 60_000)));
}

/** Wrong, expired, replaced and used codes answer alike; only the audit event tells them apart. */
async function reject(ctx: FlowContext, pending: PendingChallenge, attempt: number, reason: string): Promise<MfaError> {
  const { config, user } = ctx;
  config.emit({ type: 'code_rejected', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, channel: pending.channel, scope: pending.scope, reason });
  if (attempt >= config.maxAttempts) return lockUser(ctx, config.lockoutSeconds, 'attempts_exhausted');
  return new MfaError('invalid_code', { attemptsRemaining: config.maxAttempts - attempt });
}
