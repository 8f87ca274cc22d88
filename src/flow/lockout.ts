// Per-user lockouts in the shared store: they hold across sessions, logouts and app instances, and only ever grow.
import type { MfaConfig } from '../options';
import type { StoredValue } from '../stores/types';
import { secondsLeft } from '../stores/ttl';
import { MfaError } from '../errors';
import { brokenStore, fromStore, isCount, isStoredValue, type FlowContext } from './context';

/** Failed attempts are forgotten an hour after the first one, or when a lockout ends. */
export const ATTEMPT_WINDOW_SECONDS = 3600;
/** Consecutive failures are forgotten only after a success, or a year without any. */
export const STREAK_SECONDS = 365 * 86_400;
/** A held user stays locked this long unless an operator unlocks them first: in practice, until then. */
export const HOLD_SECONDS = 10 * 365 * 86_400;

export const LOCK_REASONS = {
  attempts: 'attempts_exhausted',
  provider: 'provider_rate_limited',
  held: 'held',
} as const;

export interface CountedAttempt {
  attempts: number;
  streak: number;
  challenge: StoredValue | null;
}

/**
 * Counts one attempt (a code, a recovery code, a forged trust cookie) in the shared store before it is
 * checked, so parallel requests, new sessions and other instances all draw from one budget. Refuses,
 * counting nothing, while the user is locked out; locks at once when the budget was already spent.
 */
export async function countAttempt(ctx: FlowContext, withChallenge = false): Promise<CountedAttempt> {
  const { config, keys } = ctx;
  const count = await fromStore(
    config,
    config.store.countAttempt(
      { lockout: keys.lockout, attempts: keys.attempts, streak: keys.streak, challenge: withChallenge ? keys.challenge : undefined },
      { attemptsSeconds: ATTEMPT_WINDOW_SECONDS, streakSeconds: STREAK_SECONDS },
    ),
  );
  // A broken custom store answering nonsense would compare as "under the limit": refuse instead.
  if (count?.counted === false && isStoredValue(count.lockout)) throw lockedError(count.lockout);
  if (
    count?.counted !== true ||
    !isCount(count.attempts) ||
    !isCount(count.streak) ||
    !(count.challenge === null || isStoredValue(count.challenge))
  ) {
    throw brokenStore(config, 'an attempt count outside its contract');
  }
  // Over the budget already (parallel requests past the last allowed one): lock without checking this one.
  if (count.attempts > config.maxAttempts || count.streak > config.maxConsecutiveFailures) throw await lockAfterFailures(ctx, count.streak);
  return count;
}

/** True when this failed attempt spends the last of the budget (or reaches the ceiling): lock now. */
export function budgetSpent(config: MfaConfig, attempt: CountedAttempt): boolean {
  return attempt.attempts >= config.maxAttempts || attempt.streak >= config.maxConsecutiveFailures;
}

/**
 * Locks after the attempt budget is spent. Each lockout in a row lasts twice the one before (up to
 * `maxLockoutSeconds`); at `maxConsecutiveFailures` the user is held until an operator unlocks them.
 */
export async function lockAfterFailures(ctx: FlowContext, streak: number): Promise<MfaError> {
  const { config, user } = ctx;
  const held = streak >= config.maxConsecutiveFailures;
  const seconds = held ? HOLD_SECONDS : escalatedSeconds(config, streak);
  const reason = held ? LOCK_REASONS.held : LOCK_REASONS.attempts;
  const standing = await lock(ctx, reason, seconds, config.maxAttempts);
  const event = { userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, consecutiveFailures: streak };
  if (held) config.emit({ type: 'account_locked', ...event, reason }, ctx.req);
  else config.emit({ type: 'locked_out', ...event, reason, retryAfterSeconds: secondsLeft(standing.ttlMs) }, ctx.req);
  return lockedError(standing);
}

/** Mirrors a provider's own lockout (Bandwidth's 429): extends ours to its wait, never shortens it, leaves the budget alone. */
export async function lockForProvider(ctx: FlowContext, seconds: number): Promise<MfaError> {
  const standing = await lock(ctx, LOCK_REASONS.provider, seconds);
  ctx.config.emit(
    {
      type: 'locked_out',
      userId: ctx.user.id,
      maskedPhoneNumber: ctx.maskedPhoneNumber,
      reason: LOCK_REASONS.provider,
      retryAfterSeconds: secondsLeft(standing.ttlMs),
    },
    ctx.req,
  );
  return lockedError(standing);
}

/** `lockoutSeconds` for the first lockout of a streak, doubling for each one after, capped. */
export function escalatedSeconds(config: MfaConfig, streak: number): number {
  const lockoutsSoFar = Math.max(1, Math.ceil(streak / config.maxAttempts));
  return Math.min(config.maxLockoutSeconds, config.lockoutSeconds * 2 ** Math.min(lockoutsSoFar - 1, 30));
}

async function lock(ctx: FlowContext, reason: string, seconds: number, pinAttempts?: number): Promise<StoredValue> {
  const { config, keys } = ctx;
  const standing = await fromStore(
    config,
    config.store.lock({ lockout: keys.lockout, attempts: keys.attempts }, { reason, seconds, pinAttempts }),
  );
  if (!isStoredValue(standing)) throw brokenStore(config, 'a lockout outside its contract');
  return standing;
}

/** The answer for a standing lockout: a wait, or for a held user, an operator. */
export function lockedError(lockout: StoredValue): MfaError {
  if (lockout.value === LOCK_REASONS.held) return new MfaError('account_locked');
  return new MfaError('locked_out', { retryAfterSeconds: secondsLeft(lockout.ttlMs) });
}
