// Changing what protects the account (the number, the recovery codes) needs a second factor from the last few minutes.
import { MfaError } from '../errors';
import { FRESH_FACTOR_SECONDS } from '../config/checks';
import { mfaState, type FlowContext } from './context';

/** A code or a recovery code of this session, of the login scope, within `enrolment.maxAgeSeconds`; a trusted browser never counts. */
export function requireFreshFactor(ctx: FlowContext, returnTo?: string): void {
  const { config, user } = ctx;
  const maxAgeSeconds = config.enrolment?.maxAgeSeconds ?? FRESH_FACTOR_SECONDS;
  const verification = ctx.session.mfa?.verified?.[config.scope];
  const fresh = verification?.userId === user.id && !verification.trustedDevice && Date.now() - verification.at <= maxAgeSeconds * 1000;
  if (fresh) return;
  // Where the challenge page sends the browser back once the code is in.
  mfaState(ctx.session).requested = { scope: config.scope, ...(returnTo ? { returnTo } : {}) };
  throw new MfaError('second_factor_required', { scope: config.scope, maxAgeSeconds });
}
