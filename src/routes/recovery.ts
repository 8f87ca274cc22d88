// POST routes for recovery codes: sign in with one in place of the phone, or make a new set.
import type { Request, RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { loadUser, mfaState, requireSession, requireUserContext } from '../flow/context';
import { requireFreshFactor } from '../flow/freshness';
import { makeRecoveryCodes, saveRecoveryCodeSet, useRecoveryCode } from '../flow/recovery';
import { newRecoveryCodes } from '../recovery/codes';
import { fieldsOf } from '../flow/send';
import { parseBody } from './body';
import { guarded } from './boundary';
import type { RouteOptions } from './route-options';
import { wantsJson } from './respond';
import { regenerateKeeping, saveSession } from './regenerate';

export function recoveryRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'recoveryRoute',
    config,
    async (config, req, res) => {
      const body = await parseBody(req, res);
      const ctx = await requireUserContext(config, req);
      const { recoveryCodesLeft } = await useRecoveryCode(ctx, fieldsOf(body).recoveryCode);
      const state = ctx.session.mfa ?? {};
      const requested =
        state.requested?.scope === config.scope && state.requested.returnTo ? state.requested.returnTo : config.defaultRedirect;
      const redirectTo = config.enrolment?.recoveryCodesPath ?? requested;
      const verified = {
        ...state.verified,
        [config.scope]: { userId: ctx.user.id, at: Date.now(), recoveryCode: true as const, method: 'recovery_code' as const },
      };
      await regenerateKeeping(req, verified, { newRecoveryCodes: newRecoveryCodes(), newRecoveryCodesFor: ctx.user.id });
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) res.json({ verified: true, recoveryCodesLeft: recoveryCodesLeft ?? null, newRecoveryCodes: true, redirectTo });
      else res.redirect(303, redirectTo);
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}

export function recoveryCodesRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'recoveryCodesRoute',
    config,
    async (config, req, res) => {
      await parseBody(req, res);
      const ctx = await requireUserContext(config, req);
      requireFreshFactor(ctx, config.enrolment?.recoveryCodesPath);
      const recoveryCodes = await makeRecoveryCodes(config, ctx.user.id, undefined, req);
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) {
        res.json({ recoveryCodes });
        return;
      }
      mfaState(ctx.session).newRecoveryCodes = recoveryCodes;
      await saveSession(req);
      res.redirect(303, config.enrolment?.recoveryCodesPath ?? config.defaultRedirect);
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}

export async function takeNewRecoveryCodes(config: MfaConfig, req: Request): Promise<string[] | undefined> {
  const session = requireSession(req, config);
  const state = session.mfa;
  const codes = state?.newRecoveryCodes;
  if (!state || !codes) return undefined;
  const owner = state.newRecoveryCodesFor;
  if (owner !== undefined) {
    // Saved only for the user they were made for: an app that changed the user in place gets nothing.
    const user = await loadUser(config, req);
    if (user?.id === owner) await saveRecoveryCodeSet(config, owner, codes);
    else delete state.newRecoveryCodes;
    delete state.newRecoveryCodesFor;
  }
  const shown = state.newRecoveryCodes;
  delete state.newRecoveryCodes;
  await saveSession(req);
  return shown;
}
