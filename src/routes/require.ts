// Guards protected routes: a signed-in user with a fresh enough verification passes, nobody else.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig, MfaUser } from '../options';
import type { VerificationMethod } from '../session-state';
import { MfaError } from '../errors';
import { checkedUser, mfaState, requireSession } from '../flow/context';
import { safeReturnTo } from '../flow/return-to';
import { checkScope } from '../config/templates';
import { describe, fail, integerIn, rejectUnknownKeys } from '../config/checks';
import { hasPasskey } from '../passkeys/list';
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
  /**
   * Only a phishing-resistant second factor passes (a passkey): an SMS or voice code, a recovery code or a
   * trusted browser sends the user back to the challenge. For admin-grade routes (NIST SP 800-63B AAL2's
   * phishing-resistant option). Default false.
   */
  phishingResistant?: boolean;
  /** The verification methods that pass, e.g. `['passkey', 'recovery_code']`. Default: every method. */
  methods?: VerificationMethod[];
}

const METHODS: readonly VerificationMethod[] = ['sms', 'voice', 'recovery_code', 'passkey', 'trusted_device'];
const PHISHING_RESISTANT: readonly VerificationMethod[] = ['passkey'];

/** The methods a guard accepts, worked out once at construction; undefined accepts all. */
function allowedMethods(options: RequireSecondFactorOptions): ReadonlySet<VerificationMethod | undefined> | undefined {
  const { phishingResistant, methods } = options;
  if (phishingResistant !== undefined && typeof phishingResistant !== 'boolean') fail(`\`requireSecondFactor.phishingResistant\` must be true or false; got ${describe(phishingResistant)}.`);
  if (methods !== undefined && (!Array.isArray(methods) || methods.length === 0 || methods.some((method) => !METHODS.includes(method)))) {
    fail(`\`requireSecondFactor.methods\` must be a non-empty array of ${METHODS.map((m) => `"${m}"`).join(', ')}; got ${describe(methods)}.`);
  }
  if (phishingResistant && methods?.some((method) => !PHISHING_RESISTANT.includes(method))) {
    fail('`requireSecondFactor({ phishingResistant: true })` accepts passkeys only; drop the other `methods`, or drop `phishingResistant`.');
  }
  const list = phishingResistant ? PHISHING_RESISTANT : methods;
  return list === undefined ? undefined : new Set(list);
}

export function guardFor(source: ConfigSource, options: RequireSecondFactorOptions = {}): RequestHandler {
  if (typeof options !== 'object' || options === null) throw new TypeError('express-bandwidth-mfa: `requireSecondFactor(options)` takes `{ maxAgeSeconds?, scope?, phishingResistant?, methods? }`.');
  rejectUnknownKeys('requireSecondFactor.', options, ['maxAgeSeconds', 'scope', 'phishingResistant', 'methods']);
  const maxAgeMs = options.maxAgeSeconds === undefined ? undefined : 1000 * integerIn('maxAgeSeconds', options.maxAgeSeconds, 0, 1, 31_536_000);
  const rule: Rule = { maxAgeMs, allowed: allowedMethods(options) };
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
        ? Promise.resolve(found).then((user) => decide(known, req, res, next, checkedUser(known, user), scope, rule))
        : decide(config, req, res, next, checkedUser(config, found), scope, rule);
      decided?.catch(fail);
    } catch (error) {
      fail(error);
    }
  };
}

function isThenable(value: unknown): value is PromiseLike<MfaUser | null | undefined> {
  return typeof (value as PromiseLike<unknown> | null | undefined)?.then === 'function';
}

/** What one guard asks, resolved at construction. */
interface Rule {
  maxAgeMs: number | undefined;
  allowed: ReadonlySet<VerificationMethod | undefined> | undefined;
}

/** Passes a verified session at once (undefined); anything else is settled asynchronously (a promise). */
function decide(config: MfaConfig, req: Request, res: Response, next: NextFunction, user: MfaUser | null, scope: string, rule: Rule): Promise<void> | undefined {
  const verification = req.session.mfa?.verified?.[scope];
  // A user without a number passes on a passkey only: a code verification of theirs predates the number's removal.
  if (user && verification?.userId === user.id && (user.phoneNumber !== null || verification.method === 'passkey')
    && (rule.maxAgeMs === undefined || Date.now() - verification.at <= rule.maxAgeMs)
    && (rule.allowed === undefined || rule.allowed.has(verification.method))) {
    next();
    return undefined;
  }
  return refuseOrTrust(config, req, res, next, user, scope, rule);
}

async function refuseOrTrust(config: MfaConfig, req: Request, res: Response, next: NextFunction, user: MfaUser | null, scope: string, rule: Rule): Promise<void> {
  const { maxAgeMs, allowed } = rule;
  // No number on record: nothing to ask a code of, unless the user has a passkey. The policy says whether to send them to enrol or let them by.
  if (user && user.phoneNumber === null && !(config.passkeys && (await hasPasskey(config, user.id)))) {
    if (!(await config.enrolmentRequired(req, user))) return next();
    return refuseUnenrolled(req, res, config);
  }
  // A trusted browser stands in for the login challenge only, never for a freshness (step-up) check.
  const loginCheck = scope === config.scope && maxAgeMs === undefined && (allowed === undefined || allowed.has('trusted_device'));
  if (user && loginCheck && config.trustedDevices && (await trustThisBrowser(config, req, res, user))) return next();
  refuse(req, res, config, user, scope, maxAgeMs, allowed && ([...allowed] as VerificationMethod[]));
}

function refuse(req: Request, res: Response, config: MfaConfig, user: MfaUser | null, scope: string, maxAgeMs: number | undefined, methods?: VerificationMethod[]): void {
  const html = !wantsJson(req) && Boolean(req.accepts('html'));
  if (!user) {
    if (!html) return sendError(req, res, config, new MfaError('authentication_required'));
    const back = req.method === 'GET' ? safeReturnTo(req.originalUrl) : undefined;
    return res.redirect(302, back ? `${config.loginPath}?returnTo=${encodeURIComponent(back)}` : config.loginPath);
  }
  const state = mfaState(req.session);
  state.requested = { scope, returnTo: req.method === 'GET' ? safeReturnTo(req.originalUrl) : state.requested?.returnTo, ...(methods ? { methods } : {}) };
  // A route that takes no code says so: "enter a code" would send the user the wrong way.
  const passkeyOnly = methods !== undefined && !methods.includes('sms') && !methods.includes('voice');
  if (!html) {
    return sendError(req, res, config, new MfaError('second_factor_required', { scope, ...(maxAgeMs !== undefined ? { maxAgeSeconds: maxAgeMs / 1000 } : {}), ...(methods ? { methods } : {}) },
      passkeyOnly ? { messageKey: 'page_passkey_required' } : {}));
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
  const verified = { ...req.session.mfa?.verified, [config.scope]: { userId: user.id, at: 0, trustedDevice: true as const, method: 'trusted_device' as const } };
  await regenerateKeeping(req, verified);
  return true;
}
