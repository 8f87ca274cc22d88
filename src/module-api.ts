// The module-level shape (`app.use(mfa.middleware(options))`, `mfa.sendCodeRoute()`...): routes that find the instance `middleware()` attached to the request.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { MfaOptions } from './options';
import { createMfa } from './create-mfa';
import { fromRequest, refuseRequestAsOptions } from './routes/config-source';
import { guardFor, type RequireSecondFactorOptions } from './routes/require';
import { sendRoute } from './routes/send';
import { verifyRoute } from './routes/verify';
import { errorHandlerFor } from './routes/error-handler';
import { challengeState, type ChallengeState } from './routes/challenge-state';
import { errorMessageFor } from './routes/error-message';
import { enrolSendRoute as enrolSend, enrolVerifyRoute as enrolVerify, removePhoneRoute as removePhone } from './routes/enrol';
import { recoveryCodesRoute as recoveryCodes, recoveryRoute as recovery, takeNewRecoveryCodes as takeCodes } from './routes/recovery';
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

export function sendCodeRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('sendCodeRoute', args[0]);
  return sendRoute(fromRequest);
}

export function verifyCodeRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('verifyCodeRoute', args[0]);
  return verifyRoute(fromRequest);
}

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
export function enrolSendRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('enrolSendRoute', args[0]);
  return enrolSend(fromRequest);
}

/** `{ code }`: saves the candidate number once its code is right. */
export function enrolVerifyRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('enrolVerifyRoute', args[0]);
  return enrolVerify(fromRequest);
}

/** Removes the number on record, with a fresh second factor. */
export function removePhoneRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('removePhoneRoute', args[0]);
  return removePhone(fromRequest);
}

/** `{ recoveryCode }`: signs in with a recovery code in place of the phone (needs the `recoveryCodes` option). */
export function recoveryRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('recoveryRoute', args[0]);
  return recovery(fromRequest);
}

/** A new set of recovery codes, with a fresh second factor. */
export function recoveryCodesRoute(...args: unknown[]): RequestHandler {
  refuseRequestAsOptions('recoveryCodesRoute', args[0]);
  return recoveryCodes(fromRequest);
}

/** The recovery codes made for this browser, once; undefined after. */
export function takeNewRecoveryCodes(req: Request): Promise<string[] | undefined> {
  return takeCodes(fromRequest(req), req);
}
/** The built-in challenge page (GET), finding the instance `middleware()` attached: mount it at `challengePath`. */
export const challengePage = (options?: ChallengePageOptions): RequestHandler => challengePageFor(fromRequest, options);
