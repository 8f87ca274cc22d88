// The module-level shape (`app.use(mfa.middleware(options))`, `mfa.sendCodeRoute()`...): routes that find the instance `middleware()` attached to the request.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { MfaOptions } from './options';
import { createMfa } from './create-mfa';
import { fromRequest, refuseRequestAsOptions } from './routes/config-source';
import { guardFor, type RequireSecondFactorOptions } from './routes/require';
import { errorHandlerFor } from './routes/error-handler';
import { challengeState, type ChallengeState } from './routes/challenge-state';
import { errorMessageFor } from './routes/error-message';
import { routeFactory } from './routes/factories';
import { takeNewRecoveryCodes as takeCodes } from './routes/recovery';
import { challengePageFor, type ChallengePageOptions } from './pages/challenge-page';

/** Validates the options once and attaches the configuration to every request for the routes below. */
export function middleware(options: MfaOptions): RequestHandler {
  refuseRequestAsOptions('middleware', options);
  return createMfa(options).middleware();
}

export function requireSecondFactor(options?: RequireSecondFactorOptions): RequestHandler {
  refuseRequestAsOptions('requireSecondFactor', options);
  return guardFor(fromRequest, options);
}

/** `{ channel?, scope?, returnTo? }`: sends a code to the signed-in user's number. */
export const sendCodeRoute = routeFactory('sendCodeRoute', fromRequest);

/** `{ code, rememberDevice? }`: checks the code and verifies the session under a new id. */
export const verifyCodeRoute = routeFactory('verifyCodeRoute', fromRequest);

export function errorHandler(...args: unknown[]): ErrorRequestHandler {
  refuseRequestAsOptions('errorHandler', args[0]);
  return errorHandlerFor(fromRequest);
}

/** What a challenge page needs to render: the pending code, the resend countdown, a lockout and its wait, the code length. */
export function getChallengeState(req: Request): Promise<ChallengeState> {
  return challengeState(fromRequest(req), req);
}

/**
 * The sentence for the `?error=<code>&wait=<seconds>` our redirects carry, in the request's language.
 * Undefined when the code is not one of ours, so query text is never echoed.
 */
export function errorMessage(req: Request, code?: unknown, retryAfterSeconds?: unknown): string | undefined {
  return errorMessageFor(fromRequest(req), req, code ?? req.query?.error, retryAfterSeconds ?? req.query?.wait);
}

/** `{ phoneNumber, channel? }`: a code to the number the user wants on record (needs the `enrolment` option). */
export const enrolSendRoute = routeFactory('enrolSendRoute', fromRequest);

/** `{ code }`: saves the candidate number once its code is right. */
export const enrolVerifyRoute = routeFactory('enrolVerifyRoute', fromRequest);

/** Removes the number on record, with a fresh second factor. */
export const removePhoneRoute = routeFactory('removePhoneRoute', fromRequest);

/** `{ recoveryCode }`: signs in with a recovery code in place of the phone (needs the `recoveryCodes` option); a new set then waits at `recoveryCodesPath`. */
export const recoveryRoute = routeFactory('recoveryRoute', fromRequest);

/** A new set of recovery codes, with a fresh second factor. */
export const recoveryCodesRoute = routeFactory('recoveryCodesRoute', fromRequest);

/** `{ returnTo? }` → options for `startRegistration()` (needs the `passkeys` option and a fresh second factor). */
export const passkeyRegistrationOptionsRoute = routeFactory('passkeyRegistrationOptionsRoute', fromRequest);

/** `{ response, name? }`: checks the new passkey and saves it through `passkeys.savePasskey`. */
export const passkeyRegistrationVerifyRoute = routeFactory('passkeyRegistrationVerifyRoute', fromRequest);

/** `{ scope?, returnTo? }` → options for `startAuthentication()`. */
export const passkeyAuthenticationOptionsRoute = routeFactory('passkeyAuthenticationOptionsRoute', fromRequest);

/** `{ response }`: checks the assertion and verifies the session (method `passkey`) under a new id. */
export const passkeyAuthenticationVerifyRoute = routeFactory('passkeyAuthenticationVerifyRoute', fromRequest);

/** `{ credentialId, returnTo? }`: removes one passkey, with a fresh second factor. */
export const removePasskeyRoute = routeFactory('removePasskeyRoute', fromRequest);

/** The recovery codes made for this browser, once; undefined after. A set made after a recovery code was used replaces the old set as it is shown. */
export function takeNewRecoveryCodes(req: Request): Promise<string[] | undefined> {
  return takeCodes(fromRequest(req), req);
}
/** The built-in challenge page (GET), finding the instance `middleware()` attached: mount it at `challengePath`. */
export const challengePage = (options?: ChallengePageOptions): RequestHandler => challengePageFor(fromRequest, options);
