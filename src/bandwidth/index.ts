// The Bandwidth side of the library: client, its options, its errors, the provider contract.
export { createBandwidthClient, type BandwidthClient } from './client';
export {
  validateBandwidthOptions, BANDWIDTH_BASE_URL, BANDWIDTH_TOKEN_URL, BASIC_AUTH_RETIREMENT,
  type BandwidthOptions, type BandwidthOAuthCredentials, type BandwidthBasicCredentials,
} from './options';
export { BandwidthError, isBandwidthError, type BandwidthErrorKind, type BandwidthErrorDetails } from './errors';
export { parseRetryAfter, waitFromProse } from './answers';
export type { Channel, MfaProvider, SendCodeRequest, SendCodeResult, VerifyCodeRequest } from './types';
