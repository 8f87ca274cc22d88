// A ceremony's challenge: random, kept in the session and in the shared store, spent by exactly one verification.
import type { PendingPasskey } from '../session-state';
import { MfaError } from '../errors';
import { fromStore, mfaState, type FlowContext } from '../flow/context';
import { saveSession } from '../routes/regenerate';

/** What the store holds: the kind and the challenge, so a registration challenge never passes for a sign-in. */
function storedValue(pending: Pick<PendingPasskey, 'kind' | 'challenge'>): string {
  return `${pending.kind}.${pending.challenge}`;
}

/**
 * Records the challenge in the user's store key (a new ceremony replaces an older one, in any session)
 * and in this session, which is saved now: the verification must find both.
 */
export async function startCeremony(ctx: FlowContext, pending: PendingPasskey, ttlSeconds: number): Promise<void> {
  await fromStore(ctx.config, ctx.config.store.set(ctx.keys.passkeyChallenge, storedValue(pending), ttlSeconds));
  mfaState(ctx.session).passkey = pending;
  await saveSession(ctx.req);
}

/** This session's ceremony of that kind, for this user; a 400 without one. */
export function pendingCeremony(ctx: FlowContext, kind: PendingPasskey['kind']): PendingPasskey {
  const pending = ctx.session.mfa?.passkey;
  if (!pending || pending.kind !== kind || pending.userId !== ctx.user.id) throw new MfaError('no_pending_challenge');
  return pending;
}

/**
 * Spends the challenge, whatever the outcome of the check that follows: compare-and-delete in the store,
 * true for exactly one caller. A replay, a racing twin, an expired or replaced ceremony get false.
 */
export async function consumeCeremony(ctx: FlowContext, pending: PendingPasskey): Promise<boolean> {
  delete ctx.session.mfa?.passkey;
  return (await fromStore(ctx.config, ctx.config.store.delete([ctx.keys.passkeyChallenge], storedValue(pending)))) !== false;
}
