// One error type for everything that can go wrong talking to Bandwidth.

export type BandwidthErrorKind =
  /** 400: Bandwidth rejected the request (bad number, bad applicationId...). */
  | 'bad_request'
  /** 401 or 403: credentials wrong, or the account has no MFA access. */
  | 'unauthorized'
  /** 429: too many verification attempts for this number. */
  | 'rate_limited'
  /** 5xx from Bandwidth. */
  | 'server_error'
  /** No answer within the configured timeout. */
  | 'timeout'
  /** Connection refused, reset, DNS failure... */
  | 'network'
  /** A 2xx whose body is not the documented JSON, or any other unexpected status. */
  | 'bad_response';

export interface BandwidthErrorDetails {
  kind: BandwidthErrorKind;
  /** HTTP status when Bandwidth answered. */
  status?: number;
  /** Bandwidth's own message (`error`, `message` or `Message`), when it sent one. */
  providerMessage?: string;
  /** Bandwidth's `requestId`, to quote to its support. */
  requestId?: string;
  /** For `rate_limited`: seconds to wait, from `Retry-After` or the prose of the body; undefined when neither says. */
  retryAfterSeconds?: number;
  /** Which call failed. */
  operation: 'send_sms' | 'send_voice' | 'verify' | 'token';
  /** True when the call gave up before a byte of it was written (no token or no socket in time): no code went out. */
  neverSent?: boolean;
  /** True when the error body is Bandwidth's own (`{ error, requestId }`, `{ message }` or `{ Message }`), not a gateway's. */
  fromBandwidth?: boolean;
}

/** Never carries credentials, phone numbers or codes. */
export class BandwidthError extends Error {
  readonly kind: BandwidthErrorKind;
  readonly status?: number;
  readonly providerMessage?: string;
  readonly requestId?: string;
  readonly retryAfterSeconds?: number;
  readonly operation: BandwidthErrorDetails['operation'];
  readonly neverSent?: boolean;
  readonly fromBandwidth?: boolean;

  constructor(details: BandwidthErrorDetails) {
    const where = details.status ? `HTTP ${details.status}` : details.kind;
    const said = details.providerMessage ? `: ${details.providerMessage}` : '';
    super(`Bandwidth MFA ${details.operation} failed (${where})${said}`);
    this.name = 'BandwidthError';
    this.kind = details.kind;
    this.status = details.status;
    this.providerMessage = details.providerMessage;
    this.requestId = details.requestId;
    this.retryAfterSeconds = details.retryAfterSeconds;
    this.operation = details.operation;
    if (details.neverSent) this.neverSent = true;
    if (details.fromBandwidth) this.fromBandwidth = true;
  }
}

export function isBandwidthError(value: unknown): value is BandwidthError {
  return value instanceof BandwidthError;
}
