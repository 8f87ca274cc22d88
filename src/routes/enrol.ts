// POST routes that add, change and remove the number on record: a code to the candidate first, its right code saves it.
import type { RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { requireUserContext } from '../flow/context';
import { removeNumber, sendToCandidate, verifyCandidate } from '../flow/enrol';
import { makeRecoveryCodes, recoveryCodesLeft } from '../flow/recovery';
import { fieldsOf } from '../flow/send';
import { safeReturnTo } from '../flow/return-to';
import { parseBody } from './body';
import { guarded } from './boundary';
import type { RouteOptions } from './route-options';
import { wantsJson } from './respond';
import { regenerateKeeping } from './regenerate';

export function enrolSendRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'enrolSendRoute',
    config,
    async (config, req, res) => {
      const body = await parseBody(req, res);
      const ctx = await requireUserContext(config, req);
      const result = await sendToCandidate(ctx, body);
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) res.json({ sent: true, ...result });
      else res.redirect(303, `${config.enrolment?.path ?? config.challengePath}?sent=${result.channel}`);
    },
    { postOnly: true, errorPath: options.errorPath ?? config.enrolment?.path, takesTurns: true },
  );
}

export function enrolVerifyRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'enrolVerifyRoute',
    config,
    async (config, req, res) => {
      const body = await parseBody(req, res);
      const ctx = await requireUserContext(config, req);
      const outcome = await verifyCandidate(ctx, body);
      const state = ctx.session.mfa ?? {};
      const redirectTo = outcome.returnTo ?? state.requested?.returnTo ?? config.defaultRedirect;
      const recoveryCodes =
        outcome.previous === null && config.recoveryCodes && (await recoveryCodesLeft(config, ctx.user.id)) === 0
          ? await makeRecoveryCodes(config, ctx.user.id, undefined, req)
          : undefined;
      const verified = { ...state.verified, [config.scope]: { userId: ctx.user.id, at: Date.now(), method: outcome.channel } };
      await regenerateKeeping(req, verified, recoveryCodes && !wantsJson(req) ? { newRecoveryCodes: recoveryCodes } : {});
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) res.json({ verified: true, enrolled: true, redirectTo, ...(recoveryCodes ? { recoveryCodes } : {}) });
      else res.redirect(303, recoveryCodes ? config.enrolment!.recoveryCodesPath : redirectTo);
    },
    { postOnly: true, errorPath: options.errorPath ?? config.enrolment?.path, takesTurns: true },
  );
}

export function removePhoneRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'removePhoneRoute',
    config,
    async (config, req, res) => {
      const body = await parseBody(req, res);
      const ctx = await requireUserContext(config, req);
      await removeNumber(ctx);
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) res.json({ removed: true });
      else res.redirect(303, safeReturnTo(fieldsOf(body).returnTo) ?? config.defaultRedirect);
    },
    { postOnly: true, errorPath: options.errorPath ?? config.enrolment?.path },
  );
}
