// Per-user lockouts in the shared store: they hold across sessions, logouts and app instances.
import { MfaError } from '../errors';
import { countFromStore, fromStore, type FlowContext } from './context';

/** Failed attempts are forgotten an hour after the first one, or when a lockout ends. */
const ATTEMPT_WINDOW_SECONDS = 3600;

/** Counts one failed or pending attempt in the shared store and returns the count (wrong codes, forged trust cookies). */
export function countAttempt(ctx: FlowContext): Promise<number> {
  return countFromStore(ctx.config, ctx.config.store.increment(ctx.keys.attempts, ATTEMPT_WINDOW_SECONDS));
}

/** Seconds the user is still locked out for; 0 when not locked. */
export async function lockoutRemaining(ctx: FlowContext): Promise<number> {
  const lock = await fromStore(ctx.config, ctx.config.store.get(ctx.keys.lockout));
  return lock ? Math.max(1, Math.ceil(lock.ttlMs / 1000)) : 0;
}

export async function refuseIfLockedOut(ctx: FlowContext): Promise<void> {
  const seconds = await lockoutRemaining(ctx);
  if (seconds > 0) throw lockedOut(seconds);
}

/** Locks the user and returns the error to answer with. */
export async function lockUser(ctx: FlowContext, seconds: number, reason: string): Promise<MfaError> {
  const { store, maxAttempts } = ctx.config;
  await fromStore(ctx.config, Promise.all([
    store.set(ctx.keys.lockout, reason, seconds),
    // The attempt count stays at the limit exactly as long as the lockout, so both end together.
    store.set(ctx.keys.attempts, String(maxAttempts), seconds),
  ]));
  ctx.config.emit({ type: 'locked_out', userId: ctx.user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, reason, retryAfterSeconds: seconds });
  return lockedOut(seconds);
}

function lockedOut(seconds: number): MfaError {
  return new MfaError('locked_out', { retryAfterSeconds: seconds });
}
