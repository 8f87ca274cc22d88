// Checking a code: count first, ask Bandwidth alike whether or not the challenge still stands, consume exactly once.
import { randomBytes } from 'node:crypto';
import { MfaError } from '../errors';
import type { PendingChallenge } from '../session-state';
import { fromStore, numberOnRecord, type FlowContext } from './context';
import { budgetSpent, countAttempt, lockAfterFailures, type CountedAttempt } from './lockout';
import { awayFromWork } from './work-slots';
import { providerBusy, providerFailure } from './provider-failure';
import { fieldsOf } from './send';
import { creditVerified, verifiedCredit } from './send-budget';
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
   * Runs once this caller alone has consumed the challenge, so of racing verifies only the winner acts
   * (an enrolment's save). When it throws (the app could not save a number, say) the challenge is given
   * back for what was left of its life, and the same code may be tried again.
   */
  onConsumed?: (challenge: PendingChallenge) => Promise<void>;
}

export async function verifyCode(
  ctx: FlowContext,
  code: string,
  { purpose = 'login', onConsumed }: VerifyOptions = {},
): Promise<VerifyOutcome> {
  const { config, keys, user } = ctx;
  // Read only: a refused verify must not make express-session write the session back.
  const pending = ctx.session.mfa?.pending;
  if (!pending || pending.userId !== user.id || (purpose === 'enrolment') !== (pending.enrolment !== undefined))
    throw new MfaError('no_pending_challenge');
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
    // A challenge that is gone still costs one provider call (already counted above, so no more calls than
    // attempts), under a scope never sent: the answer takes as long as a live one and cannot pass.
    if (!attempt.challenge || attempt.challenge.value !== pending.id) {
      await decoyVerify(ctx, pending, to, code);
      throw await rejectAs(attempt.challenge ? 'challenge_replaced' : 'challenge_expired');
    }
    const { ttlMs } = attempt.challenge;

    let valid: unknown;
    try {
      const call = { to, code, scope: pending.providerScope, expirationTimeInMinutes: windowMinutes(config.codeTtlSeconds, ttlMs) };
      valid = await awayFromWork(ctx, () => config.provider.verifyCode(call));
    } catch (error) {
      throw await providerFailure(ctx, error, pending.scope);
    }
    // Exactly `true`: a custom provider answering `{ valid: false }`, "false" or 1 must not open anything.
    if (valid !== true) throw await rejectAs('invalid_code');

    // Bandwidth does not make codes single use; this compare-and-delete does, for exactly one caller. The same
    // step ends the guessing budget, the failure streak and the resend wait (a step-up code right after
    // sign-in must not wait 30 s); with `onConsumed`, only once that has succeeded.
    const successKeys = [keys.attempts, keys.streak, keys.cooldown];
    // Off a Redis Cluster the same step also credits the send's budgets (not for an enrolment: its save may still fail).
    const credit = verifiedCredit(config, pending.budgets, to);
    const consumed = await fromStore(
      config,
      config.store.delete([keys.challenge, ...(onConsumed ? [] : successKeys)], pending.id, onConsumed ? undefined : credit),
    );
    if (!consumed) throw await rejectAs('challenge_used');
    if (onConsumed) {
      try {
        await onConsumed(pending);
      } catch (error) {
        // Only if nothing newer took its place; a whole second less than it had, so its life never grows.
        const seconds = Math.floor(ttlMs / 1000) - 1;
        if (seconds >= 1) await fromStore(config, config.store.set(keys.challenge, pending.id, seconds, true)).catch(() => false);
        throw error;
      }
      await fromStore(config, config.store.delete(successKeys));
    }
    if (consumed !== 'credited') await creditVerified(config, credit);
    const country = countryOf(to);
    config.emit(
      {
        type: 'code_verified',
        userId: user.id,
        maskedPhoneNumber: pending.maskedPhoneNumber,
        channel: pending.channel,
        scope: pending.scope,
        ...(country ? { country } : {}),
      },
      ctx.req,
    );
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

/** The provider call a live challenge would make, for a challenge that is gone; its answer and failures do not matter. */
async function decoyVerify(ctx: FlowContext, pending: PendingChallenge, to: string, code: string): Promise<void> {
  // Shaped like a real provider scope (the scope and 8 hex digits), and a new one, so no code was sent under it.
  const scope = `${pending.scope}-${randomBytes(4).toString('hex')}`;
  try {
    await awayFromWork(ctx, () => ctx.config.provider.verifyCode({ to, code, scope, expirationTimeInMinutes: 1 }));
  } catch {
    // Nothing to report: the answer is a rejection whatever the provider said.
  }
}

/** Wrong, expired, replaced and used codes answer alike; only the audit event tells them apart. */
async function reject(ctx: FlowContext, pending: PendingChallenge, attempt: CountedAttempt, reason: string): Promise<MfaError> {
  const { config, user } = ctx;
  config.emit(
    {
      type: 'code_rejected',
      userId: user.id,
      maskedPhoneNumber: pending.maskedPhoneNumber,
      channel: pending.channel,
      scope: pending.scope,
      reason,
    },
    ctx.req,
  );
  return rejectedAttempt(ctx, attempt);
}

/** After a wrong answer: a lockout when that spent the budget, otherwise `invalid_code` with what is left. */
export async function rejectedAttempt(ctx: FlowContext, attempt: CountedAttempt): Promise<MfaError> {
  if (budgetSpent(ctx.config, attempt)) return lockAfterFailures(ctx, attempt.streak);
  return new MfaError('invalid_code', { attemptsRemaining: ctx.config.maxAttempts - attempt.attempts });
}
