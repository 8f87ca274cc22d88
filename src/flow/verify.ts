// Checking a code: count first, refuse what cannot be right without asking Bandwidth, consume exactly once.
import { MfaError } from '../errors';
import type { PendingChallenge } from '../session-state';
import { fromStore, numberOnRecord, type FlowContext } from './context';
import { budgetSpent, countAttempt, lockAfterFailures, type CountedAttempt } from './lockout';
import { providerBusy, providerFailure } from './provider-failure';
import { fieldsOf } from './send';
import { creditVerified } from './send-budget';
import { countryOf } from '../phone/parse';

const WINDOW_MARGIN_MS = 15_000;
const ASCII_DIGITS = /^[0-9]+$/;

export interface VerifyOutcome {
  /** The challenge that was passed; the caller records the verification and regenerates the session. */
  challenge: PendingChallenge;
}

/** Only a string of ASCII digits of the configured length is ever sent to Bandwidth. */
export function parseCode(body: unknown, digits: number): string {
  const code = fieldsOf(body).code;
  if (typeof code !== 'string' || code.length !== digits || !ASCII_DIGITS.test(code)) {
    throw new MfaError('invalid_request', {}, { messageKey: 'invalid_code_format', params: { digits } });
  }
  return code;
}

/**
 * Checks a code against the pending challenge of this purpose: a login or step-up code goes to the
 * number on record, an enrolment code to the candidate it was sent to; neither passes for the other.
 */
export interface VerifyOptions {
  purpose?: 'login' | 'enrolment';
  /**
   * Runs once the provider said the code is right and before it is consumed: when it throws (the app
   * could not save a number, say) nothing is consumed, and the same code may be tried again.
   */
  beforeConsume?: (challenge: PendingChallenge) => Promise<void>;
}

export async function verifyCode(ctx: FlowContext, code: string, { purpose = 'login', beforeConsume }: VerifyOptions = {}): Promise<VerifyOutcome> {
  const { config, keys, user } = ctx;
  // Read only: a refused verify must not make express-session write the session back.
  const pending = ctx.session.mfa?.pending;
  if (!pending || pending.userId !== user.id || (purpose === 'enrolment') !== (pending.enrolment !== undefined)) throw new MfaError('no_pending_challenge');
  const to = pending.enrolment?.phoneNumber ?? numberOnRecord(ctx);

  // A slot first: a verify refused for want of one has changed nothing and spent no attempt.
  const release = config.providerSlots.tryEnter();
  if (!release) throw providerBusy(config);
  try {
    // Counted in the shared store before anything else (lockout, attempt, streak and the challenge in one
    // step): parallel requests, new sessions and other instances all draw from one budget, and at most
    // `maxAttempts` codes ever reach Bandwidth.
    const attempt = await countAttempt(ctx, true);
    const rejectAs = (reason: string) => reject(ctx, pending, attempt, reason);
    if (!attempt.challenge) throw await rejectAs('challenge_expired');
    if (attempt.challenge.value !== pending.id) throw await rejectAs('challenge_replaced');

    let valid: unknown;
    try {
      valid = await config.provider.verifyCode({
        to,
        code,
        scope: pending.providerScope,
        expirationTimeInMinutes: windowMinutes(config.codeTtlSeconds, attempt.challenge.ttlMs),
      });
    } catch (error) {
      throw await providerFailure(ctx, error, pending.scope);
    }
    // Exactly `true`: a custom provider answering `{ valid: false }`, "false" or 1 must not open anything.
    if (valid !== true) throw await rejectAs('invalid_code');
    await beforeConsume?.(pending);

    // Bandwidth does not make codes single use; this compare-and-delete does, for exactly one caller. The same
    // step ends the guessing budget, the failure streak and the resend wait (a step-up code right after
    // sign-in must not wait 30 s).
    const consumed = await fromStore(config, config.store.consume(keys.challenge, pending.id, [keys.attempts, keys.streak, keys.cooldown]));
    if (!consumed) throw await rejectAs('challenge_used');
    await creditVerified(config, pending.budgets, to);
    const country = countryOf(to);
    config.emit({
      type: 'code_verified', userId: user.id, maskedPhoneNumber: pending.maskedPhoneNumber, channel: pending.channel, scope: pending.scope,
      ...(country ? { country } : {}),
    });
    return { challenge: pending };
  } finally {
    release();
  }
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
async function reject(ctx: FlowContext, pending: PendingChallenge, attempt: CountedAttempt, reason: string): Promise<MfaError> {
  const { config, user } = ctx;
  config.emit({ type: 'code_rejected', userId: user.id, maskedPhoneNumber: pending.maskedPhoneNumber, channel: pending.channel, scope: pending.scope, reason });
  return rejectedAttempt(ctx, attempt);
}

/** After a wrong answer: a lockout when that spent the budget, otherwise `invalid_code` with what is left. */
export async function rejectedAttempt(ctx: FlowContext, attempt: CountedAttempt): Promise<MfaError> {
  if (budgetSpent(ctx.config, attempt)) return lockAfterFailures(ctx, attempt.streak);
  return new MfaError('invalid_code', { attemptsRemaining: ctx.config.maxAttempts - attempt.attempts });
}
