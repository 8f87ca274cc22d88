// `createMfa(options)`: one instance owning its configuration, with the middleware, routes and operator tools bound to it.
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig, MfaOptions } from './options';
import { resolveOptions } from './config/resolve';
import { warnIfEvictable } from './config/eviction';
import { attachConfig, boundTo, refuseRequestAsOptions } from './routes/config-source';
import { guardFor, type RequireSecondFactorOptions } from './routes/require';
import { errorHandlerFor } from './routes/error-handler';
import { challengeState, type ChallengeState } from './routes/challenge-state';
import { errorMessageFor } from './routes/error-message';
import { routeFactory, type RouteOptions } from './routes/factories';
import { takeNewRecoveryCodes } from './routes/recovery';
import { rateLimitFor, type SendRateLimitOptions } from './rate-limit';
import * as operators from './admin/operations';
import type { OperatorOptions } from './admin/operations';
import * as budgets from './admin/send-budgets';
import type { SendBudget, SendBudgetAllowEntry } from './admin/send-budgets';
import type { TrustedDevice } from './trusted-devices/trust';
import { challengePageFor, type ChallengePageOptions } from './pages/challenge-page';

export interface Mfa {
  /** Optional with an instance: makes `errorMessage(req)` and the other module-level helpers find this instance. */
  middleware(): RequestHandler;
  requireSecondFactor(options?: RequireSecondFactorOptions): RequestHandler;
  sendCodeRoute(options?: RouteOptions): RequestHandler;
  verifyCodeRoute(options?: RouteOptions): RequestHandler;
  /** `{ phoneNumber, channel? }`: a code to the number the user wants on record (needs `enrolment`). */
  enrolSendRoute(options?: RouteOptions): RequestHandler;
  /** `{ code }`: saves the candidate number once its code is right. */
  enrolVerifyRoute(options?: RouteOptions): RequestHandler;
  /** Removes the number on record, with a fresh second factor. */
  removePhoneRoute(options?: RouteOptions): RequestHandler;
  /** `{ recoveryCode }`: signs in with a recovery code in place of the phone (needs `recoveryCodes`); a new set then waits at `recoveryCodesPath`. */
  recoveryRoute(options?: RouteOptions): RequestHandler;
  /** A new set of recovery codes, with a fresh second factor. */
  recoveryCodesRoute(options?: RouteOptions): RequestHandler;
  /** `{ returnTo? }` → options for `startRegistration()` (needs `passkeys` and a fresh second factor). */
  passkeyRegistrationOptionsRoute(options?: RouteOptions): RequestHandler;
  /** `{ response, name? }`: checks the new passkey and saves it through `passkeys.savePasskey`. */
  passkeyRegistrationVerifyRoute(options?: RouteOptions): RequestHandler;
  /** `{ scope?, returnTo? }` → options for `startAuthentication()` (the user's passkeys). */
  passkeyAuthenticationOptionsRoute(options?: RouteOptions): RequestHandler;
  /** `{ response }`: checks the assertion and verifies the session (method `passkey`) under a new id. */
  passkeyAuthenticationVerifyRoute(options?: RouteOptions): RequestHandler;
  /** `{ credentialId, returnTo? }`: removes one passkey, with a fresh second factor. */
  removePasskeyRoute(options?: RouteOptions): RequestHandler;
  /**
   * The recovery codes made for this browser, once; undefined after. For the page at `enrolment.recoveryCodesPath`.
   * A set made after a recovery code was used replaces the user's old set now, as it is shown.
   */
  takeNewRecoveryCodes(req: Request): Promise<string[] | undefined>;
  /** A limit per client address in front of `sendCodeRoute()` or `enrolSendRoute()` (express-rate-limit, optional peer dependency); `errorPath` names the page of the form. */
  sendRateLimit(options?: SendRateLimitOptions): RequestHandler;
  errorHandler(): ErrorRequestHandler;
  getChallengeState(req: Request): Promise<ChallengeState>;
  errorMessage(req: Request, code?: unknown, retryAfterSeconds?: unknown): string | undefined;
  /** The built-in challenge page (GET): mount it at `challengePath`. */
  challengePage(options?: ChallengePageOptions): RequestHandler;
  /** Ends a lockout (a hold after `maxConsecutiveFailures` included). */
  unlockUser(userId: string, options?: OperatorOptions): Promise<void>;
  /**
   * Clears the user's lockouts, counters and trusted browsers, and removes their number and recovery codes through
   * your hooks; sessions signed in before it cannot enrol a number (they must sign in again).
   */
  resetSecondFactor(userId: string, options?: OperatorOptions): Promise<void>;
  /** A new set of recovery codes replacing the old one; show them to the user once. */
  generateRecoveryCodes(userId: string, options?: OperatorOptions): Promise<string[]>;
  listTrustedDevices(userId: string): Promise<TrustedDevice[]>;
  revokeTrustedDevices(userId: string, options?: OperatorOptions): Promise<void>;
  /** True when that browser was trusted. */
  revokeTrustedDevice(userId: string, deviceId: string, options?: OperatorOptions): Promise<boolean>;
  /** Send-budget buckets over or near their budget (and the ceiling past its warning), with sent and verified counts. */
  listSendBudgets(): Promise<SendBudget[]>;
  /** Starts a bucket's counts over; true when it had any. */
  resetSendBudget(bucket: string): Promise<boolean>;
  /** Adds a country, number prefix or address/network to the allow-list in the store, for every instance; returns it canonical. */
  allowSendBudget(entry: string, options?: OperatorOptions): Promise<string>;
  /** Removes an entry added with `allowSendBudget`; true when it was there. */
  disallowSendBudget(entry: string): Promise<boolean>;
  /** The allow-list: entries from `sendBudgets.allow` and those added at run time. */
  listSendBudgetAllowList(): Promise<SendBudgetAllowEntry[]>;
}

export function createMfa(options: MfaOptions): Mfa {
  refuseRequestAsOptions('createMfa', options);
  const config = resolveOptions(options);
  warnIfEvictable(config);
  return instanceOf(config);
}

function instanceOf(config: MfaConfig): Mfa {
  const source = boundTo(config);
  return {
    middleware: (...args: unknown[]) => {
      refuseRequestAsOptions('middleware', args[0]);
      return function bandwidthMfa(req: Request, _res: Response, next: NextFunction): void {
        attachConfig(req, config);
        next();
      };
    },
    requireSecondFactor: (guardOptions) => {
      refuseRequestAsOptions('requireSecondFactor', guardOptions);
      return guardFor(source, guardOptions);
    },
    sendCodeRoute: routeFactory('sendCodeRoute', source),
    verifyCodeRoute: routeFactory('verifyCodeRoute', source),
    enrolSendRoute: routeFactory('enrolSendRoute', source),
    enrolVerifyRoute: routeFactory('enrolVerifyRoute', source),
    removePhoneRoute: routeFactory('removePhoneRoute', source),
    recoveryRoute: routeFactory('recoveryRoute', source),
    recoveryCodesRoute: routeFactory('recoveryCodesRoute', source),
    passkeyRegistrationOptionsRoute: routeFactory('passkeyRegistrationOptionsRoute', source),
    passkeyRegistrationVerifyRoute: routeFactory('passkeyRegistrationVerifyRoute', source),
    passkeyAuthenticationOptionsRoute: routeFactory('passkeyAuthenticationOptionsRoute', source),
    passkeyAuthenticationVerifyRoute: routeFactory('passkeyAuthenticationVerifyRoute', source),
    removePasskeyRoute: routeFactory('removePasskeyRoute', source),
    takeNewRecoveryCodes: (req) => takeNewRecoveryCodes(config, req),
    sendRateLimit: (rateOptions) => rateLimitFor(source, rateOptions),
    errorHandler: (...args: unknown[]) => (refuseRequestAsOptions('errorHandler', args[0]), errorHandlerFor(source)),
    getChallengeState: (req) => challengeState(config, req),
    errorMessage: (req, code, wait) => errorMessageFor(config, req, code, wait),
    challengePage: (pageOptions) => challengePageFor(source, pageOptions),
    unlockUser: (userId, opts) => operators.unlockUser(config, userId, opts),
    resetSecondFactor: (userId, opts) => operators.resetSecondFactor(config, userId, opts),
    generateRecoveryCodes: (userId, opts) => operators.generateRecoveryCodes(config, userId, opts),
    listTrustedDevices: (userId) => operators.listTrustedDevices(config, userId),
    revokeTrustedDevices: (userId, opts) => operators.revokeTrustedDevices(config, userId, opts),
    revokeTrustedDevice: (userId, deviceId, opts) => operators.revokeTrustedDevice(config, userId, deviceId, opts),
    listSendBudgets: () => budgets.listSendBudgets(config),
    resetSendBudget: (bucket) => budgets.resetSendBudget(config, bucket),
    allowSendBudget: (entry, opts) => budgets.allowSendBudget(config, entry, opts),
    disallowSendBudget: (entry) => budgets.disallowSendBudget(config, entry),
    listSendBudgetAllowList: () => budgets.listSendBudgetAllowList(config),
  };
}
