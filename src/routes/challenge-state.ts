// What a challenge page needs to render: the pending code, the resend countdown, a lockout and its wait.
import type { Request } from 'express';
import type { Channel } from '../bandwidth/types';
import type { MfaConfig } from '../options';
import type { MfaSessionState, PendingChallenge } from '../session-state';
import { MfaError } from '../errors';
import { fromStore, loadUser, requireSession } from '../flow/context';
import { userKeys } from '../flow/keys';
import { LOCK_REASONS } from '../flow/lockout';
import { secondsLeft } from '../stores/ttl';
import { maskPhoneNumber } from '../phone/mask';
import { localMessage } from './respond';
import { recoveryCodesLeft } from '../flow/recovery';
import { passkeyCount } from '../passkeys/list';
import type { VerificationMethod } from '../session-state';

export interface ChallengeState {
  signedIn: boolean;
  /** False while the signed-in user has no number on record (they must enrol, or may, by policy). */
  enrolled?: boolean;
  maskedPhoneNumber?: string;
  /** With recovery codes on: how many the user has left (a page may warn at two or fewer); undefined if the app's count failed. */
  recoveryCodesLeft?: number;
  /** The code waiting to be entered; `enrolment` when it went to a number being added or changed to (post it to the enrolment route). */
  pending?: { channel: Channel; maskedPhoneNumber: string; sentAt: number; expiresAt: number; scope: string; enrolment: boolean };
  /** 0 when a send is allowed now. */
  resendAvailableInSeconds: number;
  /** 0 when not locked out. */
  lockedOutForSeconds: number;
  /** True when the user is held after too many failures in a row: only an operator's `unlockUser` ends it. */
  accountLocked: boolean;
  /** "Too many attempts. Try again in 2 minutes.", in the request's language. */
  lockoutMessage?: string;
  /** Length of the codes, for the input field. */
  digits: number;
  /** A verification exists in this session for the scope asked for (or the login scope). */
  verified: boolean;
  /** With passkeys on: how many the user has (the page offers "Use a passkey" above 0); undefined if the app's list failed. */
  passkeys?: number;
  /** Set when the guard asked for particular methods (`['passkey']` for a phishing-resistant route): a code will not do. */
  methods?: VerificationMethod[];
  /** The scope the page is asking a code for. */
  scope: string;
  returnTo?: string;
  /** The text of the action the code approves (a guard with `action`): show it, so the user sees what they confirm. */
  action?: string;
}

/** The pending code's action, or before any code the one the guard asked for. */
function actionOf(
  pending: PendingChallenge | undefined,
  requested: MfaSessionState['requested'],
  scope: string,
): { action: string } | undefined {
  const action = pending ? pending.action : requested?.scope === scope ? requested.action : undefined;
  return action === undefined ? undefined : { action };
}

export async function challengeState(config: MfaConfig, req: Request): Promise<ChallengeState> {
  const session = requireSession(req, config);
  const state = session.mfa ?? {};
  const scope = state.requested?.scope ?? config.scope;
  const digits = config.digits;
  const user = await loadUser(config, req);
  if (!user)
    return { signedIn: false, resendAvailableInSeconds: 0, lockedOutForSeconds: 0, accountLocked: false, verified: false, scope, digits };

  const keys = userKeys(user.id);
  const [lock, cooldown, challenge] = await fromStore(
    config,
    Promise.all([config.store.get(keys.lockout), config.store.get(keys.cooldown), config.store.get(keys.challenge)]),
  );
  const accountLocked = lock?.value === LOCK_REASONS.held;
  const lockedOutForSeconds = lock ? secondsLeft(lock.ttlMs) : 0;
  const pending = state.pending && state.pending.userId === user.id && challenge?.value === state.pending.id ? state.pending : undefined;
  return {
    signedIn: true,
    maskedPhoneNumber: user.phoneNumber === null ? undefined : maskPhoneNumber(user.phoneNumber),
    enrolled: user.phoneNumber !== null,
    ...(config.recoveryCodes ? { recoveryCodesLeft: await recoveryCodesLeft(config, user.id) } : {}),
    ...(config.passkeys ? { passkeys: await passkeyCount(config, user.id) } : {}),
    ...(state.requested?.methods ? { methods: state.requested.methods } : {}),
    pending: pending && {
      channel: pending.channel,
      maskedPhoneNumber: pending.maskedPhoneNumber,
      sentAt: pending.sentAt,
      expiresAt: pending.expiresAt,
      scope: pending.scope,
      enrolment: pending.enrolment !== undefined,
    },
    resendAvailableInSeconds: cooldown ? secondsLeft(cooldown.ttlMs) : 0,
    lockedOutForSeconds,
    accountLocked,
    lockoutMessage:
      lockedOutForSeconds > 0
        ? localMessage(
            req,
            config,
            accountLocked ? new MfaError('account_locked') : new MfaError('locked_out', { retryAfterSeconds: lockedOutForSeconds }),
          )
        : undefined,
    digits,
    verified: state.verified?.[scope]?.userId === user.id,
    scope,
    returnTo: pending?.returnTo ?? state.requested?.returnTo,
    ...(actionOf(pending, state.requested, scope) ?? {}),
  };
}
