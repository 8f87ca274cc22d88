// Guards protected routes: a signed-in user with a fresh enough verification passes, nobody else.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig, MfaUser } from '../options';
import type { VerificationMethod } from '../session-state';
import { MfaError } from '../errors';
import { checkedUser, fromStore, mfaState, requireSession } from '../flow/context';
import { safeReturnTo } from '../flow/return-to';
import { checkScope } from '../config/templates';
import { FRESH_FACTOR_SECONDS, describe, integerIn, optionalFunction, rejectUnknownKeys } from '../config/checks';
import { actionDigest, checkedAction } from '../flow/action';
import { usedVerificationKey } from '../flow/keys';
import { hasPasskey } from '../passkeys/list';
import { DEFAULT_ENROLMENT_PATH } from '../config/lifecycle';
import { isTrustedDevice } from '../trusted-devices/trust';
import { answerError, guarded } from './boundary';
import { sendError, wantsJson } from './respond';
import { regenerateKeeping } from './regenerate';
import { allowedMethods, satisfies, type Rule } from './guard-rule';
import { LOG_PREFIX } from '../log-prefix';

export interface RequireSecondFactorOptions {
  /** How recent the verification must be, seconds. Default: any verification in this session. */
  maxAgeSeconds?: number;
  /** A verification for this scope is needed (step-up per action). Default: the configured login scope. */
  scope?: string;
  /**
   * The verification opens one request only: it is claimed in the shared store as the request passes (of
   * parallel requests, on any instance, one gets through), and given back only when the handler answers
   * 4xx or 5xx; a 2xx or a redirect spends it. `maxAgeSeconds` then defaults to 300. Default `false`.
   */
  singleUse?: boolean;
  /**
   * The text of the action this request would carry out ("Transfer 250.00 USD to J. Doe"): it goes into the
   * SMS or call (`{ACTION}`), and only a code sent with that very text opens the request, so a changed
   * amount needs a new code. A text with control characters or braces, or too long for Bandwidth's
   * 2048-character message, is a 400 `invalid_action`. Browsers refused on a POST come back to its URL
   * (GET) after the code. Default: none.
   */
  action?: (req: Request) => string | Promise<string>;
  /**
   * Only a phishing-resistant second factor passes (a passkey): an SMS or voice code, a recovery code or a
   * trusted browser sends the user back to the challenge. For admin-grade routes (NIST SP 800-63B AAL2's
   * phishing-resistant option). Default false.
   */
  phishingResistant?: boolean;
  /** The verification methods that pass, e.g. `['passkey', 'recovery_code']`. Default: every method. */
  methods?: VerificationMethod[];
}

/** How long a single-use verification may wait to be used when `maxAgeSeconds` is not given. */
const SINGLE_USE_MAX_AGE_SECONDS = FRESH_FACTOR_SECONDS;
/** The single-use record outlives the verification's age limit by this much: instances' clocks differ a little. */
const CLAIM_MARGIN_SECONDS = 60;

/** Checks the guard's options now; the guard is then built for a configuration. */
export function guardFor(options: RequireSecondFactorOptions = {}): (config: MfaConfig) => RequestHandler {
  if (typeof options !== 'object' || options === null)
    throw new TypeError(
      LOG_PREFIX + '`requireSecondFactor(options)` takes `{ maxAgeSeconds?, scope?, singleUse?, action?, phishingResistant?, methods? }`.',
    );
  rejectUnknownKeys('requireSecondFactor.', options, ['maxAgeSeconds', 'scope', 'singleUse', 'action', 'phishingResistant', 'methods']);
  if (options.singleUse !== undefined && typeof options.singleUse !== 'boolean') {
    throw new TypeError(`${LOG_PREFIX}\`requireSecondFactor({ singleUse })\` must be true or false; got ${describe(options.singleUse)}.`);
  }
  const action = optionalFunction<NonNullable<RequireSecondFactorOptions['action']>>('requireSecondFactor.action', options.action);
  const singleUse = options.singleUse === true;
  const maxAgeSeconds =
    options.maxAgeSeconds === undefined
      ? singleUse
        ? SINGLE_USE_MAX_AGE_SECONDS
        : undefined
      : integerIn('maxAgeSeconds', options.maxAgeSeconds, 0, 1, 31_536_000);
  const rule: Rule = { maxAgeMs: maxAgeSeconds === undefined ? undefined : 1000 * maxAgeSeconds, allowed: allowedMethods(options) };
  const fixedScope = options.scope === undefined ? undefined : checkScope('scope', options.scope);
  const guardOf = (config: MfaConfig): Guard => ({ config, scope: fixedScope ?? config.scope, rule });
  if (singleUse || action) return (config) => boundGuard(guardOf(config), singleUse, action);
  return (config) => fastGuard(guardOf(config));
}

/** One guard as built for a configuration: the scope it checks and what it asks of a verification there. */
interface Guard {
  config: MfaConfig;
  scope: string;
  rule: Rule;
}

/**
 * The hot path is synchronous when `getUser` is: the session express-session already loaded, the app's
 * `getUser`, one timestamp compare, then `next()`, with no promise. Only the other outcomes (a trusted
 * browser, a refusal, the enrolment policy) go async, inside the same error boundary.
 */
function fastGuard(guard: Guard): RequestHandler {
  const { config } = guard;
  return function requireSecondFactor(req: Request, res: Response, next: NextFunction): void {
    const fail = (error: unknown) => answerError(error, req, res, next, config);
    try {
      requireSession(req, config);
      const found = config.getUser(req);
      const decided = isThenable(found)
        ? Promise.resolve(found).then((user) => decide(guard, req, res, next, checkedUser(config, user)))
        : decide(guard, req, res, next, checkedUser(config, found));
      decided?.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

/**
 * The guard of one action: asynchronous, since the app's action text and the single-use claim are. Passes
 * only a verification of this user, scope and age, for this action's text, that this request claims.
 */
function boundGuard(guard: Guard, singleUse: boolean, action: RequireSecondFactorOptions['action']): RequestHandler {
  const { scope, rule } = guard;
  return guarded('requireSecondFactor', guard.config, async (config, req, res, next) => {
    requireSession(req, config);
    const user = checkedUser(config, await config.getUser(req));
    const text = action && user ? checkedAction(config, req, scope, await action(req)) : undefined;
    const verification = req.session.mfa?.verified?.[scope];
    const passes =
      satisfies(user, verification, rule) &&
      user !== null &&
      (text === undefined || verification.action === actionDigest(text)) &&
      (!singleUse || (await claimOnce(config, res, user.id, verification.id, rule.maxAgeMs as number)));
    if (passes) return next();
    if (user && user.phoneNumber === null) return refuseOrTrust(guard, req, res, next, user);
    refuse(guard, req, res, user, text);
  });
}

/**
 * Claims the verification in the shared store: of every request carrying it, on any instance, one gets
 * true. A handler answering 4xx or 5xx gives it back (it carried nothing out); anything else spends it.
 */
async function claimOnce(config: MfaConfig, res: Response, userId: string, id: string | undefined, maxAgeMs: number): Promise<boolean> {
  if (id === undefined) return false;
  const key = usedVerificationKey(userId, id);
  const claimed = await fromStore(config, config.store.set(key, '1', maxAgeMs / 1000 + CLAIM_MARGIN_SECONDS, true));
  if (claimed !== true) return false;
  res.once('finish', () => {
    if (res.statusCode < 400) return;
    config.store
      .delete([key])
      .catch(() =>
        config.logger.warn(LOG_PREFIX + 'a refused action could not give its verification back; the user will be asked for a new code.'),
      );
  });
  return true;
}

function isThenable(value: unknown): value is PromiseLike<MfaUser | null | undefined> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

/** Passes a verified session at once (undefined); anything else is settled asynchronously (a promise). */
function decide(guard: Guard, req: Request, res: Response, next: NextFunction, user: MfaUser | null): Promise<void> | undefined {
  if (satisfies(user, req.session.mfa?.verified?.[guard.scope], guard.rule)) {
    next();
    return undefined;
  }
  return refuseOrTrust(guard, req, res, next, user);
}

async function refuseOrTrust(guard: Guard, req: Request, res: Response, next: NextFunction, user: MfaUser | null): Promise<void> {
  const { config, scope, rule } = guard;
  const { maxAgeMs, allowed } = rule;
  // No number on record: nothing to ask a code of, unless the user has a passkey. The policy says whether to send them to enrol or let them by.
  if (user && user.phoneNumber === null && !(config.passkeys && (await hasPasskey(config, user.id)))) {
    if (!(await config.enrolmentRequired(req, user))) return next();
    return refuseUnenrolled(req, res, config);
  }
  // A trusted browser stands in for the login challenge only, never for a freshness (step-up) check.
  const loginCheck = scope === config.scope && maxAgeMs === undefined && (allowed === undefined || allowed.has('trusted_device'));
  if (user && loginCheck && config.trustedDevices && (await trustThisBrowser(config, req, res, user))) return next();
  refuse(guard, req, res, user);
}

function refuse(guard: Guard, req: Request, res: Response, user: MfaUser | null, action?: string): void {
  const { config, scope, rule } = guard;
  const { maxAgeMs } = rule;
  const methods = rule.allowed && ([...rule.allowed] as VerificationMethod[]);
  const html = !wantsJson(req) && Boolean(req.accepts('html'));
  if (!user) {
    if (!html) return sendError(req, res, config, new MfaError('authentication_required'));
    const back = req.method === 'GET' ? safeReturnTo(req.originalUrl) : undefined;
    return res.redirect(302, back ? `${config.loginPath}?returnTo=${encodeURIComponent(back)}` : config.loginPath);
  }
  const state = mfaState(req.session);
  // An action's form is shown again at its URL once the code is in: a POST is never replayed, the user sends it again.
  const back = req.method === 'GET' || action !== undefined ? safeReturnTo(req.originalUrl) : state.requested?.returnTo;
  state.requested = { scope, returnTo: back, ...(action !== undefined ? { action } : {}), ...(methods ? { methods } : {}) };
  // A route that takes no code says so: "enter a code" would send the user the wrong way.
  const passkeyOnly = methods !== undefined && !methods.includes('sms') && !methods.includes('voice');
  if (!html) {
    return sendError(
      req,
      res,
      config,
      new MfaError(
        'second_factor_required',
        {
          scope,
          ...(maxAgeMs !== undefined ? { maxAgeSeconds: maxAgeMs / 1000 } : {}),
          ...(action !== undefined ? { action } : {}),
          ...(methods ? { methods } : {}),
        },
        passkeyOnly ? { messageKey: 'page_passkey_required' } : {},
      ),
    );
  }
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
  const verified = {
    ...req.session.mfa?.verified,
    [config.scope]: { userId: user.id, at: 0, trustedDevice: true as const, method: 'trusted_device' as const },
  };
  await regenerateKeeping(req, verified);
  return true;
}
