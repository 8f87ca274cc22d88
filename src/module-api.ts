// The module-level shape (`app.use(mfa.middleware(options))`, `mfa.sendCodeRoute()`...): `MfaHandlers` finding the instance on the request.
import type { RequestHandler } from 'express';
import type { MfaOptions } from './options';
import { createMfa } from './create-mfa';
import { fromRequest, refuseRequestAsOptions } from './routes/config-source';
import { handlersOver, type MfaHandlers } from './mfa-handlers';

/** Validates the options once (`createMfa(options)`) and attaches that instance to every request, for the module-level handlers. */
export function middleware(options: MfaOptions): RequestHandler {
  refuseRequestAsOptions('middleware', options);
  return createMfa(options).middleware();
}

// Each typed by its member of `MfaHandlers`, whose doc comment editors then show: the only one there is.
const onRequest = handlersOver(fromRequest);
export const requireSecondFactor: MfaHandlers['requireSecondFactor'] = onRequest.requireSecondFactor;
export const sendCodeRoute: MfaHandlers['sendCodeRoute'] = onRequest.sendCodeRoute;
export const verifyCodeRoute: MfaHandlers['verifyCodeRoute'] = onRequest.verifyCodeRoute;
export const enrolSendRoute: MfaHandlers['enrolSendRoute'] = onRequest.enrolSendRoute;
export const enrolVerifyRoute: MfaHandlers['enrolVerifyRoute'] = onRequest.enrolVerifyRoute;
export const removePhoneRoute: MfaHandlers['removePhoneRoute'] = onRequest.removePhoneRoute;
export const recoveryRoute: MfaHandlers['recoveryRoute'] = onRequest.recoveryRoute;
export const recoveryCodesRoute: MfaHandlers['recoveryCodesRoute'] = onRequest.recoveryCodesRoute;
export const passkeyRegistrationOptionsRoute: MfaHandlers['passkeyRegistrationOptionsRoute'] = onRequest.passkeyRegistrationOptionsRoute;
export const passkeyRegistrationVerifyRoute: MfaHandlers['passkeyRegistrationVerifyRoute'] = onRequest.passkeyRegistrationVerifyRoute;
export const passkeyAuthenticationOptionsRoute: MfaHandlers['passkeyAuthenticationOptionsRoute'] =
  onRequest.passkeyAuthenticationOptionsRoute;
export const passkeyAuthenticationVerifyRoute: MfaHandlers['passkeyAuthenticationVerifyRoute'] = onRequest.passkeyAuthenticationVerifyRoute;
export const removePasskeyRoute: MfaHandlers['removePasskeyRoute'] = onRequest.removePasskeyRoute;
export const sendRateLimit: MfaHandlers['sendRateLimit'] = onRequest.sendRateLimit;
export const takeTurns: MfaHandlers['takeTurns'] = onRequest.takeTurns;
export const errorHandler: MfaHandlers['errorHandler'] = onRequest.errorHandler;
export const getChallengeState: MfaHandlers['getChallengeState'] = onRequest.getChallengeState;
export const errorMessage: MfaHandlers['errorMessage'] = onRequest.errorMessage;
export const pageError: MfaHandlers['pageError'] = onRequest.pageError;
export const takeNewRecoveryCodes: MfaHandlers['takeNewRecoveryCodes'] = onRequest.takeNewRecoveryCodes;
export const challengePage: MfaHandlers['challengePage'] = onRequest.challengePage;
