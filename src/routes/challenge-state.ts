// What a challenge page needs to render: the pending code, the resend countdown, a lockout and its wait.
import type { Request } from 'express';
import type { Channel } from '../bandwidth/types';
import { MfaError } from '../errors';
import { fromStore, loadUser, requireSession } from '../flow/context';
import { userKeys } from '../flow/keys';
import { maskPhoneNumber } from '../mask';
import { configOf } from './config-slot';
import { localMessage } from './respond';

export interface ChallengeState {
  signedIn: boolean;
  maskedPhoneNumber?: string;
  pending?: { channel: Channel; maskedPhoneNumber: string; sentAt: number; expiresAt: number; scope: string };
  /** 0 when a send is allowed now. */
  resendAvailableInSeconds: number;
  /** 0 when not locked out. */
  lockedOutForSeconds: number;
  /** "Too many attempts. Try again in 2 minutes.", in the request's language. */
  lockoutMessage?: string;
  /** A verification exists in this session for the scope asked for (or the login scope). */
  verified: boolean;
  /** The scope the page is asking a code for. */
  scope: string;
  returnTo?: string;
}

export async function getChallengeState(req: Request): Promise<ChallengeState> {
  const config = configOf(req);
  const session = requireSession(req, config.logger);
  const state = session.mfa ?? {};
  const scope = state.requested?.scope ?? config.scope;
  const user = await loadUser(config, req);
  if (!user) return { signedIn: false, resendAvailableInSeconds: 0, lockedOutForSeconds: 0, verified: false, scope };

  const keys = userKeys(user.id);
  const [lock, cooldown, challenge] = await fromStore(config, Promise.all([
    config.store.get(keys.lockout), config.store.get(keys.cooldown), config.store.get(keys.challenge),
  ]));
  const lockedOutForSeconds = lock ? Math.ceil(lock.ttlMs / 1000) : 0;
  const pending = state.pending && state.pending.userId === user.id && challenge?.value === state.pending.id ? state.pending : undefined;
  return {
    signedIn: true,
    maskedPhoneNumber: maskPhoneNumber(user.phoneNumber),
    pending: pending && {
      channel: pending.channel, maskedPhoneNumber: pending.maskedPhoneNumber, sentAt: pending.sentAt, expiresAt: pending.expiresAt, scope: pending.scope,
    },
    resendAvailableInSeconds: cooldown ? Math.ceil(cooldown.ttlMs / 1000) : 0,
    lockedOutForSeconds,
    lockoutMessage: lockedOutForSeconds > 0
      ? localMessage(req, config, new MfaError('locked_out', { retryAfterSeconds: lockedOutForSeconds }))
      : undefined,
    verified: state.verified?.[scope]?.userId === user.id,
    scope,
    returnTo: pending?.returnTo ?? state.requested?.returnTo,
  };
}
