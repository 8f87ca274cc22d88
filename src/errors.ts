// The error codes the library answers with: one map gives each its HTTP status, one class carries them.
import { en } from './messages/en';
import { interpolate } from './messages/catalogue';
import type { MessageKey } from './messages/types';

export const ERROR_STATUS = {
  authentication_required: 401,
  second_factor_required: 401,
  invalid_request: 400,
  invalid_action: 400,
  no_pending_challenge: 400,
  challenge_expired: 400,
  invalid_code: 400,
  invalid_passkey: 400,
  passkey_not_found: 404,
  last_factor: 409,
  passkey_limit_reached: 409,
  invalid_phone_number: 400,
  destination_not_allowed: 403,
  enrolment_required: 403,
  cross_site_request: 403,
  reauthentication_required: 401,
  resend_cooldown: 429,
  send_limit_reached: 429,
  send_budget_exceeded: 429,
  locked_out: 429,
  account_locked: 403,
  provider_unavailable: 503,
  provider_misconfigured: 502,
  service_unavailable: 503,
  not_configured: 500,
} as const;

export type MfaErrorCode = keyof typeof ERROR_STATUS;

/** Extra fields that go into the JSON body next to `error` and `message`. */
export interface MfaErrorFields {
  retryAfterSeconds?: number;
  attemptsRemaining?: number;
  /** For `second_factor_required`: the scope a code must be entered for. */
  scope?: string;
  /** For `second_factor_required`: how recent that code must be. */
  maxAgeSeconds?: number;
  /** For `second_factor_required` from a guard with `action`: the text the code will approve. */
  action?: string;
  /** For `second_factor_required`: the methods that would pass (`['passkey']` for a phishing-resistant route). */
  methods?: string[];
}

export interface MfaErrorOptions {
  /** Another status than the code's usual one (502/504 for provider_unavailable). */
  status?: number;
  /** The catalogue sentence, when not the one named like the code. */
  messageKey?: MessageKey;
  /** Values for the sentence's placeholders. `{wait}` comes from `retryAfterSeconds`. */
  params?: Record<string, string | number>;
}

export class MfaError extends Error {
  readonly code: MfaErrorCode;
  readonly status: number;
  readonly fields: MfaErrorFields;
  readonly messageKey: MessageKey;
  readonly params: Record<string, string | number>;

  constructor(code: MfaErrorCode, fields: MfaErrorFields = {}, options: MfaErrorOptions = {}) {
    const messageKey = options.messageKey ?? code;
    const params = options.params ?? {};
    // English here; the routes render the sentence again in the request's language.
    super(
      interpolate(en[messageKey], {
        ...params,
        ...(fields.attemptsRemaining !== undefined ? { attempts: fields.attemptsRemaining } : {}),
        wait: fields.retryAfterSeconds !== undefined ? `${fields.retryAfterSeconds} seconds` : en.wait_unknown,
      }),
    );
    this.name = 'MfaError';
    this.code = code;
    this.status = options.status ?? ERROR_STATUS[code];
    this.fields = fields;
    this.messageKey = messageKey;
    this.params = params;
  }

  /** The documented JSON body: `{ error, message, ...fields }`. */
  toJSON(message: string = this.message): Record<string, unknown> {
    return { error: this.code, message, ...this.fields };
  }
}

export function isMfaError(value: unknown): value is MfaError {
  return value instanceof MfaError;
}

/** Seconds a client is told to wait when the session store or the shared store failed. */
export const STORE_RETRY_AFTER_SECONDS = 5;

/** The one answer to a failed store, session or shared: refuse, never pass. */
export function serviceUnavailable(): MfaError {
  return new MfaError('service_unavailable', { retryAfterSeconds: STORE_RETRY_AFTER_SECONDS });
}
