// Public entry point of express-bandwidth-mfa.
export { middleware } from './middleware';
export { requireSecondFactor, type RequireSecondFactorOptions } from './routes/require';
export { sendCodeRoute } from './routes/send';
export { verifyCodeRoute } from './routes/verify';
export { errorHandler } from './routes/error-handler';
export { getChallengeState, type ChallengeState } from './routes/challenge-state';
export { errorMessage } from './routes/error-message';
export { sendRateLimit, type SendRateLimitOptions, type RedisCommandClient } from './rate-limit';
export { MfaError, isMfaError, ERROR_STATUS, type MfaErrorCode, type MfaErrorFields } from './errors';
export { revokeTrustedDevices, revokeTrustedDevice } from './trusted-devices/registry';
export type { TrustedDevicesOptions } from './options';
export type { MfaOptions, MfaUser, MfaEvent, MfaEventType, MfaLogger } from './options';
export type { MfaSessionState, PendingChallenge, Verification } from './session-state';
export * from './bandwidth';
export * from './stores';
export { maskPhoneNumber } from './mask';
export type { MessageCatalogue } from './messages';
