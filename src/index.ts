// Public entry point of express-bandwidth-mfa: exactly what the README documents.
export { createMfa, type Mfa, type MfaOperators } from './create-mfa';
export type { MfaHandlers } from './mfa-handlers';
export {
  middleware,
  requireSecondFactor,
  sendCodeRoute,
  verifyCodeRoute,
  errorHandler,
  getChallengeState,
  errorMessage,
  pageError,
  enrolSendRoute,
  enrolVerifyRoute,
  removePhoneRoute,
  recoveryRoute,
  recoveryCodesRoute,
  takeNewRecoveryCodes,
  challengePage,
  sendRateLimit,
  takeTurns,
  passkeyRegistrationOptionsRoute,
  passkeyRegistrationVerifyRoute,
  passkeyAuthenticationOptionsRoute,
  passkeyAuthenticationVerifyRoute,
  removePasskeyRoute,
} from './module-api';
export type { PasskeysOptions, StoredPasskey } from './passkeys/types';
export type { ChallengePageOptions, ChallengePagePieces, ChallengePageSection } from './pages/page-options';
export type { PageError } from './pages/page-error';
export type { SendRateLimitOptions, RedisCommandClient } from './rate-limit';
export { redisStore, type RedisStoreOptions, type RedisClientLike } from './stores/redis';
export { memoryStore, type MemoryStoreOptions } from './stores/memory';
export type {
  MfaStore,
  MfaMapStore,
  StoredValue,
  SendKeys,
  SendLimits,
  SendClaim,
  AttemptKeys,
  AttemptWindows,
  AttemptCount,
  LockKeys,
  LockRequest,
  SendBudgetKeys,
  SendBudgetLimits,
  SendBudgetCount,
  BucketBudget,
  BucketOver,
} from './stores/types';
export { MfaError, isMfaError, ERROR_STATUS, type MfaErrorCode, type MfaErrorFields } from './errors';
export { createBandwidthClient, type BandwidthClient } from './bandwidth/client';
export { BandwidthError, isBandwidthError, type BandwidthErrorKind, type BandwidthErrorDetails } from './bandwidth/errors';
export type { BandwidthOptions, BandwidthOAuthCredentials, BandwidthBasicCredentials } from './bandwidth/options';
export type { Channel, MfaProvider, SendCodeRequest, SendCodeResult, VerifyCodeRequest } from './bandwidth/types';
export { maskPhoneNumber } from './phone/mask';
export { NOTIFY_EVENTS, type MfaNoticeType } from './options';
export type {
  MfaOptions,
  MfaUser,
  MfaEvent,
  MfaEventType,
  MfaLogger,
  TrustedDevicesOptions,
  PhoneNumberOptions,
  EnrolmentOptions,
  RecoveryCodesOptions,
  SendBudgetOptions,
  BudgetOptions,
  PhoneNumberType,
} from './options';
export type { RequireSecondFactorOptions } from './routes/require';
export type { RouteOptions } from './routes/route-options';
export type { ChallengeState } from './routes/challenge-state';
export type { OperatorOptions } from './admin/operations';
export type { SendBudget, SendBudgetAllowEntry } from './admin/send-budgets';
export type { TrustedDevice } from './trusted-devices/trust';
export type { MfaSessionState, PendingChallenge, PendingPasskey, Verification, VerificationMethod } from './session-state';
export type { MessageCatalogue } from './messages';
export { sandboxProvider, type SandboxProvider } from './sandbox/provider';
