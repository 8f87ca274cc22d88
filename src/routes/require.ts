// Guards protected routes: a signed-in user with a fresh enough verification passes, nobody else.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig, MfaUser } from '../options';
import { MfaError } from '../errors';
import { checkedUser, mfaState, requireSession } from '../flow/context';
import { safeReturnTo } from '../flow/return-to';
import { checkScope } from '../config/templates';
import { integerIn, rejectUnknownKeys } from '../config/checks';
import { DEFAULT_ENROLMENT_PATH } from '../config/lifecycle';
import { isTrustedDevice } from '../trusted-devices/trust';
import { answerError } from './boundary';
import { configIfAny, type ConfigSource } from './config-source';
import { sendError, wantsJson } from './respond';
import { regenerateKeeping } from './regenerate';

export interface RequireSecondFactorOptions {
  /** How recent the verification must be, seconds. Default: any verification in this session. */
  maxAgeSeconds?: number;
  /** A verification for this scope is needed (step-up per action). Default: the configured login scope. */
  scope?: string;
}

export function guardFor(source: ConfigSource, options: RequireSecondFactorOptions = {}): RequestHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('express-bandwidth-mfa: `requireSecondFactor(options)` takes `{ maxAgeSeconds?, scope? }`.');
  rejectUnknownKeys('requireSecondFactor.', options, ['maxAgeSeconds', 'scope']);
  const maxAgeMs = options.maxAgeSeconds === undefined ? undefined : 1000 * integerIn('maxAgeSeconds', options.maxAgeSeconds, 0, 1, 31_536_000);
  const fixedScope = options.scope === undefined ? undefined : checkScope('scope', options.scope);

  // The hot path is synchronous when `getUser` is: the session express-session already loaded, the app's
  // `getUser`, one timestamp compare, then `next()`, with no promise. Only the other outcomes (a trusted
  // browser, a refusal, the enrolment policy) go async, inside the same error boundary.
  return function requireSecondFactor(req: Request, res: Response, next: NextFunction): void {
    let config: MfaConfig | undefined;
    const fail = (error: unknown) => answerError(error, req, res, next, config ?? configIfAny(source, req));
    try {
      config = source(req);
      const scope = fixedScope ?? config.scope;
      requireSession(req, config);
      const found = config.getUser(req);
      const known = config;
      const decided = isThenable(found)
        ? Promise.resolve(found).then((user) => decide(known, req, res, next, checkedUser(known, user), scope, maxAgeMs))
        : decide(config, req, res, next, checkedUser(config, found), scope, maxAgeMs);
      decided?.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

function isThenable(value: unknown): value is PromiseLike<MfaUser | null | undefined> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

/** Passes a verified session at once (undefined); anything else is settled asynchronously (a promise). */
function decide(config: MfaConfig, req: Request, res: Response, next: NextFunction, user: MfaUser | null, scope: string, maxAgeMs: number | undefined): Promise<void> | undefined {
  const verification = req.session.mfa?.verified?.[scope];
  if (user && user.phoneNumber !== null && verification?.userId === user.id && (maxAgeMs === undefined || Date.now() - verification.at <= maxAgeMs)) {
    next();
    return undefined;
  }
  return refuseOrTrust(config, req, res, next, user, scope, maxAgeMs);
}

async function refuseOrTrust(config: MfaConfig, req: Request, res: Response, next: NextFunction, user: MfaUser | null, scope: string, maxAgeMs: number | undefined): Promise<void> {
  // No number on record: nothing to ask a code of. The policy says whether to send them to enrol or let them by.
  if (user && user.phoneNumber === null) {
    if (!(await config.enrolmentRequired(req, user))) return next();
    return refuseUnenrolled(req, res, config);
  }
  // A trusted browser stands in for the login challenge only, never for a freshness (step-up) check.
  const loginCheck = scope === config.scope && maxAgeMs === undefined;
  if (user && loginCheck && config.trustedDevices && (await trustThisBrowser(config, req, res, user))) return next();
  refuse(req, res, config, user, scope, maxAgeMs);
}

function refuse(req: Request, res: Response, config: MfaConfig, user: MfaUser | null, scope: string, maxAgeMs: number | undefined): void {
  const html = !wantsJson(req) && Boolean(req.accepts('html'));
  if (!user) {
    if (!html) return sendError(req, res, config, new MfaError('authentication_required'));
    const back = req.method === 'GET' ? safeReturnTo(req.originalUrl) : undefined;
    return res.redirect(302, back ? `${config.loginPath}?returnTo=${encodeURIComponent(back)}` : config.loginPath);
  }
  const state = mfaState(req.session);
  state.requested = { scope, returnTo: req.method === 'GET' ? safeReturnTo(req.originalUrl) : state.requested?.returnTo };
  if (!html) return sendError(req, res, config, new MfaError('second_factor_required', { scope, ...(maxAgeMs !== undefined ? { maxAgeSeconds: maxAgeMs / 1000 } : {}) }));
  res.redirect(302, config.challengePath);
}

function refuseUnenrolled(req: Request, res: Response, config: MfaConfig): void {
  if (wantsJson(req) || !req.accepts('html')) return sendError(req, res, config, new MfaError('enrolment_required'));
  const state = mfaState(req.session);
  state.requested = { scope: config.scope, returnTo: req.method === 'GET' ? safeReturnTo(req.originalUrl) : state.requested?.returnTo };
  res.redirect(302, config.enrolment?.path ?? DEFAULT_ENROLMENT_PATH);
}

/** Marks the session verified by a trusted browser (at 0, so it never passes a `maxAgeSeconds` check). */
async function trustThisBrowser(config: MfaConfig, req: Request, res: Response, user: MfaUser): Promise<boolean> {
  if (!(await isTrustedDevice(config, req, res, user))) return false;
  const verified = { ...req.session.mfa?.verified, [config.scope]: { userId: user.id, at: 0, trustedDevice: true as const } };
  await regenerateKeeping(req, verified);
  return true;
}
