// POST routes that add, change and remove the number on record: a code to the candidate first, its right code saves it.
import type { RequestHandler } from 'express';
import { requireUserContext } from '../flow/context';
import { removeNumber, sendToCandidate, verifyCandidate } from '../flow/enrol';
import { makeRecoveryCodes, recoveryCodesLeft } from '../flow/recovery';
import { fieldsOf } from '../flow/send';
import { safeReturnTo } from '../flow/return-to';
import { parseBody } from './body';
import { guarded } from './boundary';
import type { ConfigSource } from './config-source';
import type { RouteOptions } from './route-options';
import { wantsJson } from './respond';
import { regenerateKeeping } from './regenerate';

/** `{ phoneNumber, channel? }`: sends a code to the number the user wants on record. */
export function enrolSendRoute(source: ConfigSource, options: RouteOptions = {}): RequestHandler {
  return guarded('enrolSendRoute', source, async (config, req, res) => {
    const body = await parseBody(req, res);
    const ctx = await requireUserContext(config, req);
    const result = await sendToCandidate(ctx, body);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ sent: true, ...result });
    else res.redirect(303, `${config.enrolment?.path ?? config.challengePath}?sent=${result.channel}`);
  }, { postOnly: true, errorPath: (config) => options.errorPath ?? config.enrolment?.path });
}

/**
 * `{ code }`: saves the candidate number once its code is right. The session counts as verified (a user
 * who just proved the phone is not asked again) under a new id; after a first enrolment with recovery
 * codes on and none left, a new set comes back once (JSON `recoveryCodes`; browsers go to `recoveryCodesPath`).
 */
export function enrolVerifyRoute(source: ConfigSource, options: RouteOptions = {}): RequestHandler {
  return guarded('enrolVerifyRoute', source, async (config, req, res) => {
    const body = await parseBody(req, res);
    const ctx = await requireUserContext(config, req);
    const outcome = await verifyCandidate(ctx, body);
    const state = ctx.session.mfa ?? {};
    const redirectTo = outcome.returnTo ?? state.requested?.returnTo ?? config.defaultRedirect;
    const recoveryCodes = outcome.previous === null && config.recoveryCodes && (await recoveryCodesLeft(config, ctx.user.id)) === 0
      ? await makeRecoveryCodes(config, ctx.user.id, undefined, req)
      : undefined;
    const verified = { ...state.verified, [config.scope]: { userId: ctx.user.id, at: Date.now(), method: outcome.channel } };
    await regenerateKeeping(req, verified, recoveryCodes && !wantsJson(req) ? { newRecoveryCodes: recoveryCodes } : {});
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ verified: true, enrolled: true, redirectTo, ...(recoveryCodes ? { recoveryCodes } : {}) });
    else res.redirect(303, recoveryCodes ? config.enrolment!.recoveryCodesPath : redirectTo);
  }, { postOnly: true, errorPath: (config) => options.errorPath ?? config.enrolment?.path });
}

/** `{ returnTo? }`: removes the number on record, with a fresh second factor. */
export function removePhoneRoute(source: ConfigSource, options: RouteOptions = {}): RequestHandler {
  return guarded('removePhoneRoute', source, async (config, req, res) => {
    const body = await parseBody(req, res);
    const ctx = await requireUserContext(config, req);
    await removeNumber(ctx);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ removed: true });
    else res.redirect(303, safeReturnTo(fieldsOf(body).returnTo) ?? config.defaultRedirect);
  }, { postOnly: true, errorPath: (config) => options.errorPath ?? config.enrolment?.path });
}
