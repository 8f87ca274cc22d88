// POST routes for recovery codes: sign in with one in place of the phone, or make a new set.
import type { Request, RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { mfaState, requireSession, requireUserContext } from '../flow/context';
import { requireFreshFactor } from '../flow/freshness';
import { makeRecoveryCodes, useRecoveryCode } from '../flow/recovery';
import { fieldsOf } from '../flow/send';
import { parseBody } from './body';
import { guarded } from './boundary';
import type { ConfigSource } from './config-source';
import type { RouteOptions } from './factories';
import { wantsJson } from './respond';
import { regenerateKeeping, saveSession } from './regenerate';

/** `{ recoveryCode }`: a verification of the login scope for this session, under a new id; answers the codes left. */
export function recoveryRoute(source: ConfigSource, options: RouteOptions = {}): RequestHandler {
  return guarded('recoveryRoute', source, async (config, req, res) => {
    const body = await parseBody(req, res);
    const ctx = await requireUserContext(config, req);
    const { recoveryCodesLeft } = await useRecoveryCode(ctx, fieldsOf(body).recoveryCode);
    const state = ctx.session.mfa ?? {};
    const redirectTo = state.requested?.scope === config.scope && state.requested.returnTo ? state.requested.returnTo : config.defaultRedirect;
    const verified = { ...state.verified, [config.scope]: { userId: ctx.user.id, at: Date.now(), recoveryCode: true as const, method: 'recovery_code' as const } };
    await regenerateKeeping(req, verified);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ verified: true, recoveryCodesLeft: recoveryCodesLeft ?? null, redirectTo });
    else res.redirect(303, redirectTo);
  }, { postOnly: true, errorPath: () => options.errorPath });
}

/** A new set replacing the old one, with a fresh second factor: JSON `recoveryCodes`, or once on `recoveryCodesPath`. */
export function recoveryCodesRoute(source: ConfigSource, options: RouteOptions = {}): RequestHandler {
  return guarded('recoveryCodesRoute', source, async (config, req, res) => {
    await parseBody(req, res);
    const ctx = await requireUserContext(config, req);
    requireFreshFactor(ctx, config.enrolment?.recoveryCodesPath);
    const recoveryCodes = await makeRecoveryCodes(config, ctx.user.id);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) {
      res.json({ recoveryCodes });
      return;
    }
    mfaState(ctx.session).newRecoveryCodes = recoveryCodes;
    await saveSession(req);
    res.redirect(303, config.enrolment?.recoveryCodesPath ?? config.defaultRedirect);
  }, { postOnly: true, errorPath: () => options.errorPath });
}

/** The recovery codes waiting to be shown to this browser, once: the next call answers undefined. */
export async function takeNewRecoveryCodes(config: MfaConfig, req: Request): Promise<string[] | undefined> {
  const session = requireSession(req, config);
  const codes = session.mfa?.newRecoveryCodes;
  if (!codes) return undefined;
  delete session.mfa!.newRecoveryCodes;
  await saveSession(req);
  return codes;
}
