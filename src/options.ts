// Public options of `createMfa()`, their defaults, and the resolved configuration the routes read.
import type { Request } from 'express';
import type { MfaProvider, Channel } from './bandwidth/types';
import type { BandwidthOptions } from './bandwidth/options';
import type { BucketBudget, MfaStore } from './stores/types';
import type { MessageCatalogue } from './messages/types';
import type { MetricsMeter, MetricsMeterProvider } from './metrics/types';
import type { PasskeysOptions } from './passkeys/types';
import type { PasskeysConfig } from './passkeys/types';
import type { PhoneNumberType } from './phone/number-type';

export type { PhoneNumberType } from './phone/number-type';

/** Who is signed in, from the app's own records. The code goes to `phoneNumber`, never to a number from the request. */
export interface MfaUser {
  id: string;
  /** E.164, e.g. `+12015550123`; `null` when the user has none on record yet (see `enrolment`). */
  phoneNumber: string | null;
  /**
   * When this session passed the password step (a Date, or ms since the epoch, by the app's clock), from
   * the app's session. After `resetSecondFactor` or a removal of the number, only a session signed in
   * since may add a first number; without it, none may (sign-in again is then asked for every time).
   */
  signedInAt?: Date | number | null;
  /** What the user's authenticator shows for a passkey made for this account (a username or e-mail address). Default: `id`. */
  name?: string;
}

export type MfaEventType =
  | 'code_sent'
  | 'code_verified'
  | 'code_rejected'
  | 'locked_out'
  | 'account_locked'
  | 'user_unlocked'
  | 'provider_error'
  | 'device_trusted'
  | 'trusted_device_used'
  | 'trusted_device_revoked'
  | 'trusted_devices_revoked'
  | 'phone_enrolled'
  | 'phone_changed'
  | 'phone_removed'
  | 'recovery_code_used'
  | 'recovery_codes_generated'
  | 'second_factor_reset'
  | 'passkey_added'
  | 'passkey_removed'
  | 'passkey_used'
  | 'passkey_rejected'
  | 'send_budget_exceeded'
  | 'send_ceiling_warning';

/** An audit event. Never carries a code or a full number. */
export interface MfaEvent {
  type: MfaEventType;
  userId: string;
  /** Masked, e.g. `+1******8901`. */
  maskedPhoneNumber?: string;
  /** For `phone_changed` and `phone_removed`: the number that was on record, masked. */
  previousMaskedPhoneNumber?: string;
  /** For `recovery_code_used`: codes the user has left. */
  recoveryCodesLeft?: number;
  channel?: Channel;
  scope?: string;
  /** Why a code was rejected or a call failed: `invalid_code`, `challenge_expired`, `challenge_used`, `attempts_exhausted`, `provider_rate_limited`, a provider error kind... */
  reason?: string;
  retryAfterSeconds?: number;
  /** Bandwidth's requestId, for provider errors. */
  requestId?: string;
  /** For trusted-device events: the browser's id, to revoke it alone with `revokeTrustedDevice`. */
  deviceId?: string;
  /** For `code_sent`: Bandwidth's `messageId` (SMS) or `callId` (voice), to quote to its support. */
  messageId?: string;
  callId?: string;
  /** For `locked_out` and `account_locked`: wrong attempts in a row so far (only a success resets it). */
  consecutiveFailures?: number;
  /** For passkey events: the credential id (base64url), to find the passkey in your records. */
  credentialId?: string;
  /** For `passkey_added` and `passkey_removed`: the name the user gave it. */
  passkeyName?: string;
  /** For operator actions (`user_unlocked`, revocations...): who did it, as the caller named them. */
  actor?: string;
  /** For events emitted during a request: the client's address as Express sees it (`req.ip`, so mind `trust proxy`). */
  ip?: string;
  /** For events emitted during a request: the browser's `User-Agent`, cut to 256 characters. */
  userAgent?: string;
  /** ISO 3166 alpha-2 of the destination number (`code_sent`, `code_verified`, budget events); absent for ranges of no country. */
  country?: string;
  /** For `send_budget_exceeded`: the bucket (`country:LV`, `prefix:+371200000`, `address:203.0.113.7`, `ceiling`). */
  bucket?: string;
  /** For budget events: sends and verified codes counted in the bucket's window so far, and the budget of unverified ones. */
  sent?: number;
  verified?: number;
  limit?: number;
  /** For budget events: `enforce` (the send was refused) or `monitor` (counted and reported only). */
  mode?: 'enforce' | 'monitor';
  at: Date;
}

/**
 * The events a person must be told of (NIST SP 800-63B-4: binding, change, removal, every recovery),
 * which `notify` receives; one list, so that a new kind of factor adds its events here.
 */
export const NOTIFY_EVENTS = [
  'phone_enrolled',
  'phone_changed',
  'phone_removed',
  'recovery_code_used',
  'recovery_codes_generated',
  'second_factor_reset',
  'device_trusted',
  'passkey_added',
  'passkey_removed',
] as const satisfies readonly MfaEventType[];

export type MfaNoticeType = (typeof NOTIFY_EVENTS)[number];

export interface MfaLogger {
  warn(message: string): void;
  error(message: string): void;
}

export interface MfaOptions {
  /** Bandwidth account and credentials, or any object implementing `MfaProvider` (tests, another vendor). Required. */
  bandwidth: BandwidthOptions | MfaProvider;
  /** Returns the signed-in user (after the password step) or null. Required. */
  getUser: (req: Request) => MfaUser | null | undefined | Promise<MfaUser | null | undefined>;
  /** Shared store for counters and lockouts: `redisStore(redis)` in production, `memoryStore()` for one process. Required. */
  store: MfaStore;
  /** Code length. Default 6; 6–8 (NIST SP 800-63B asks for at least 6). */
  digits?: number;
  /** How long a sent code may be used, minutes. Default 5; 1–10. */
  codeTtlMinutes?: number;
  /**
   * SMS/voice text; must contain `{CODE}`; may contain `{NAME}` (Bandwidth's application name), `{SCOPE}` and
   * `{ACTION}` (the text of the action a step-up code approves; empty for other codes). Used for codes bound to an
   * action only when it contains `{ACTION}`. Default from the message catalogue.
   */
  messageTemplate?: string;
  /** Scope of a login challenge, sent to Bandwidth (with a per-challenge suffix). Default `2FA`; 1–16 letters, digits, `_` or `-`. */
  scope?: string;
  /** Seconds between two sends to one user. Default 30. */
  resendCooldownSeconds?: number;
  /** Sends per user in an hour counted from the first send, across channels, sessions and instances. Default 5. */
  maxSendsPerHour?: number;
  /**
   * Codes one destination number gets in an hour counted from its first, whichever accounts, channels,
   * purposes (login, step-up, enrolment) and instances ask. Default 5; 1–100.
   */
  maxSendsPerNumberPerHour?: number;
  /** Budgets that learn from verifications, an app-wide ceiling and an allow-list against SMS pumping. See docs/toll-fraud.md. */
  sendBudgets?: SendBudgetOptions;
  /** Wrong codes per user before a lockout. Default 5. */
  maxAttempts?: number;
  /** How long the first lockout after `maxAttempts` lasts, seconds; each further lockout without a success in between doubles it. Default 900. */
  lockoutSeconds?: number;
  /** The longest a doubled lockout gets, seconds. Default 86 400 (a day). */
  maxLockoutSeconds?: number;
  /**
   * Wrong attempts in a row (only a success resets the count) after which the user stays locked until
   * an operator calls `unlockUser`. Default 100, the most NIST SP 800-63B §5.2.2 allows.
   */
  maxConsecutiveFailures?: number;
  /** Lockout after a Bandwidth 429 whose text gives no usable wait, seconds. Default 120. */
  providerLockoutSeconds?: number;
  /** `Retry-After` sent with provider_unavailable answers, seconds. Default 30. */
  providerRetryAfterSeconds?: number;
  /**
   * Provider calls in flight at once in this process; beyond it, sends and verifies are refused at
   * once (503 `provider_unavailable`) instead of queueing. Default `bandwidth.maxSockets` (200).
   */
  providerConcurrency?: number;
  /**
   * Sends and verifies doing their work at once in this process (their Bandwidth call is not counted: it waits on
   * Bandwidth, not on this process). The others wait their turn, so a login storm cannot crowd the event loop the
   * app's other routes share. Default 2.
   */
  workConcurrency?: number;
  /** How long a send or verify waits for its turn before it is refused with 503 `service_unavailable`, ms. Default 2000. */
  workQueueTimeoutMs?: number;
  /** Where `requireSecondFactor()` sends browsers with no signed-in user. Default `/login`. */
  loginPath?: string;
  /** Where `requireSecondFactor()` sends browsers that need a code. Default `/2fa`. */
  challengePath?: string;
  /** Where to go after a successful verification when nothing else was asked for. Default `/`. */
  defaultRedirect?: string;
  /** Audit hook. Errors it throws (or promises it rejects) are logged and ignored. */
  onEvent?: (event: MfaEvent) => unknown;
  /**
   * Told of the events the account's owner must hear about (`NOTIFY_EVENTS`: a number added, changed or
   * removed, a recovery code used, new recovery codes, a reset, a browser trusted), to send them an e-mail
   * or a push message through a channel other than the phone. Not awaited; a throw or rejection is
   * logged once a minute and never fails the request. Default: none.
   */
  notify?: (event: MfaEvent & { type: MfaNoticeType }) => unknown;
  /** Where warnings and operator errors go. Default `console`. */
  logger?: MfaLogger;
  /** Picks the language of messages. Default: from `Accept-Language`, which is also used when this throws. */
  locale?: (req: Request) => string | undefined;
  /** Overrides or extends the message catalogue, per locale: `{ en: { invalid_code: '…' } }`. */
  messages?: Record<string, Partial<MessageCatalogue>>;
  /**
   * Other sites whose pages may post to the library's routes, each an origin (`https://app.example.com`).
   * A POST whose `Origin` is neither the request's own nor one of these, or whose `Sec-Fetch-Site` is
   * `cross-site`, is refused (403 `cross_site_request`) before anything changes. Default `[]`.
   */
  trustedOrigins?: string[];
  /** How phone numbers are read and which destinations may get a code (enrolment and every send). */
  phoneNumbers?: PhoneNumberOptions;
  /** Adding, changing and removing the number on record, and whether users without one must add one. */
  enrolment?: EnrolmentOptions;
  /** Single-use recovery codes, for a user whose phone is lost. The app stores only keyed hashes of them. */
  recoveryCodes?: RecoveryCodesOptions;
  /**
   * "Trust this browser": after a verification with `rememberDevice` in the body, a signed HttpOnly
   * cookie lets this user skip the login challenge on this browser. `false` turns it off.
   * Default `{ days: 30 }`.
   */
  trustedDevices?: TrustedDevicesOptions | false;
  /**
   * OpenTelemetry metrics (codes sent and verified by country, refusals, lockouts, provider latency):
   * `true` records through the global MeterProvider of `@opentelemetry/api` (nothing when that optional
   * peer dependency is not installed, or no SDK is registered before `createMfa`); pass your own
   * `MeterProvider` or `Meter` instead, or `false` for none. Default `true`.
   */
  metrics?: boolean | MetricsMeterProvider | MetricsMeter;
  /**
   * Passkeys (WebAuthn) as a second factor next to SMS and voice, in the same lockouts and guard; needs the
   * `@simplewebauthn/server` package. Default: off.
   */
  passkeys?: PasskeysOptions;
}

/** One bucket kind's budget: in its window, unverified codes may reach the larger of `unverified` and `perVerified` × verified ones. */
export interface BudgetOptions {
  /** Unverified codes the bucket may always hold in its window. */
  unverified?: number;
  /** Unverified codes allowed per verified one, when that gives more. 0–10. */
  perVerified?: number;
  /** The window, counted from the bucket's first send, seconds. Default 3600; 10 to 604 800. */
  windowSeconds?: number;
}

export interface SendBudgetOptions {
  /** `enforce` refuses a send past a budget (429 `send_budget_exceeded`); `monitor` counts and reports only. Default `enforce`. */
  mode?: 'enforce' | 'monitor';
  /** Per destination country. Default `{ unverified: 20, perVerified: 0.3, windowSeconds: 3600 }`. */
  country?: BudgetOptions;
  /** Per number range: the E.164 number less its `hiddenDigits` last digits. Default `{ unverified: 5, perVerified: 0.3, windowSeconds: 3600, hiddenDigits: 3 }`. */
  prefix?: BudgetOptions & { hiddenDigits?: number };
  /** Per client address, IPv6 by network. Default `{ unverified: 10, perVerified: 0.3, windowSeconds: 3600, ipv6PrefixLength: 64 }`. */
  address?: BudgetOptions & { ipv6PrefixLength?: 48 | 56 | 64 };
  /** The app-wide circuit breaker: sends per window, and when to warn. Default `{ maxSends: 1000, warnAtPercent: 80, windowSeconds: 3600 }`. */
  ceiling?: { maxSends?: number; warnAtPercent?: number; windowSeconds?: number };
  /** Countries (`US`), number prefixes (`+4420`) and addresses or networks (`203.0.113.0/24`) that bypass the buckets (not the ceiling, not `maxSendsPerNumberPerHour`). Default none; more at run time with `allowSendBudget`. */
  allow?: string[];
  /**
   * Days a number that took a right code skips the buckets (not the ceiling, not `maxSendsPerNumberPerHour`),
   * so a pump in its country or range does not refuse the users it already knows. Each right code renews it.
   * Default 30; 0 turns it off; at most 365.
   */
  knownNumberDays?: number;
  /** Reads the client address; undefined skips the address bucket. Default `req.ip` (set Express's `trust proxy` behind a proxy). */
  clientAddress?: (req: Request) => string | undefined;
}

export interface TrustedDevicesOptions {
  /** How long a browser stays trusted. Default 30; 0 turns the feature off. At most 365. */
  days?: number;
  /**
   * Keys that sign the cookie, at least 32 characters each; the first signs, all verify (rotation).
   * Default: a random key created once in the shared store, so every app instance uses the same one.
   */
  secret?: string | string[];
  /** Default `mfa_trusted`. */
  cookieName?: string;
}

export interface PhoneNumberOptions {
  /** Country (ISO 3166 code such as `US`) for numbers typed without `+` and a country code. Default: none (E.164 only). */
  defaultCountry?: string;
  /** Countries (ISO codes) codes may go to; any other destination is refused with `destination_not_allowed`. Default: all. */
  allowedCountries?: string[];
  /**
   * Kinds of line (libphonenumber-js `getType()`, full metadata) codes may go to, per channel; any other, and a
   * number whose kind cannot be told (`UNKNOWN`), is refused with `destination_not_allowed` before any Bandwidth call.
   * Default `{ sms: ['MOBILE', 'FIXED_LINE_OR_MOBILE'], voice: ['MOBILE', 'FIXED_LINE_OR_MOBILE', 'FIXED_LINE'] }`;
   * a channel left out keeps its default.
   */
  allowedTypes?: { sms?: PhoneNumberType[]; voice?: PhoneNumberType[] };
  /** Your own rule (a line-type lookup, a block list): false refuses with `destination_not_allowed`; a throw is a 503. */
  checkDestination?: (phoneNumber: string, req: Request | undefined) => boolean | Promise<boolean>;
}

export interface EnrolmentOptions {
  /**
   * Saves the user's proved number, or removes it (`null`); called only after a code sent to that very
   * number came back right, or by `resetSecondFactor`. A throw is a 503 and nothing else changes.
   */
  savePhoneNumber: (userId: string, phoneNumber: string | null, req: Request | undefined) => Promise<void> | void;
  /**
   * Must a signed-in user without a number add one before `requireSecondFactor()` lets them through?
   * `true` (default), `false` (such users pass), or a function of the request and user (admins must, customers may).
   */
  required?: boolean | ((req: Request, user: MfaUser) => boolean | Promise<boolean>);
  /** Where `requireSecondFactor()` sends browsers that must enrol. Default `/2fa/enrol`. */
  path?: string;
  /** How recent a second factor must be to change or remove a number, or to make new recovery codes, seconds. Default 300. */
  maxAgeSeconds?: number;
  /** Where browsers go to see newly made recovery codes once (`takeNewRecoveryCodes(req)` reads them). Default `/2fa/recovery-codes`. */
  recoveryCodesPath?: string;
}

export interface RecoveryCodesOptions {
  /**
   * Keys the codes' hashes (HMAC-SHA-256), so a dump of your database alone reveals no usable code: at
   * least 32 random characters, kept outside that database; an array (newest first) to rotate. Required.
   */
  secret: string | string[];
  /** Replaces the user's whole set with these hashes (an empty array removes them all). */
  saveRecoveryCodes: (userId: string, hashes: string[]) => Promise<void> | void;
  /** Removes this hash if the user has it, atomically (`DELETE ... WHERE user_id = ? AND hash = ?`); true when it did. */
  consumeRecoveryCode: (userId: string, hash: string) => Promise<boolean> | boolean;
  countRecoveryCodes: (userId: string) => Promise<number> | number;
}

/** What `createMfa()` resolves the options into; the routes read only this. */
export interface MfaConfig {
  provider: MfaProvider;
  getUser: MfaOptions['getUser'];
  store: MfaStore;
  digits: number;
  codeTtlSeconds: number;
  messageTemplate: string | undefined;
  scope: string;
  resendCooldownSeconds: number;
  maxSendsPerHour: number;
  maxAttempts: number;
  lockoutSeconds: number;
  maxLockoutSeconds: number;
  maxConsecutiveFailures: number;
  providerLockoutSeconds: number;
  providerRetryAfterSeconds: number;
  /** Bounds provider calls in flight in this process. */
  providerSlots: import('./slots').Slots;
  workSlots: import('./slots').Slots;
  workQueueTimeoutMs: number;
  loginPath: string;
  challengePath: string;
  defaultRedirect: string;
  /** Calls `onEvent` (and `notify` for its events), never throwing and never leaving a rejected promise behind; `req` adds `ip` and `userAgent`. */
  emit: (event: Omit<MfaEvent, 'at'>, req?: Request) => void;
  logger: MfaLogger;
  /** Calls the `locale` option, falling back to `Accept-Language` when it throws or answers nonsense. */
  locale: (req: Request) => string;
  messages: import('./messages/catalogue').Messages;
  /** Origins (lowercase) besides the request's own whose posts are accepted. */
  trustedOrigins: ReadonlySet<string>;
  /** Undefined when trusted devices are off. */
  trustedDevices: { days: number; secrets?: string[]; cookieName: string } | undefined;
  phoneNumbers: {
    defaultCountry?: string;
    allowedCountries?: ReadonlySet<string>;
    allowedTypes: Readonly<Record<Channel, ReadonlySet<PhoneNumberType>>>;
    checkDestination?: PhoneNumberOptions['checkDestination'];
  };
  maxSendsPerNumberPerHour: number;
  sendBudgets: {
    mode: 'enforce' | 'monitor';
    country: BucketBudget;
    prefix: BucketBudget & { hiddenDigits: number };
    address: BucketBudget & { ipv6PrefixLength: 48 | 56 | 64 };
    ceiling: { maxSends: number; warnAt: number; windowSeconds: number };
    /** Canonical allow-list entries from the options; the store holds those added at run time. */
    allow: readonly string[];
    /** 0: off. */
    knownNumberDays: number;
    /** The app's `clientAddress`, guarded, or `req.ip`. */
    clientAddress: (req: Request) => unknown;
  };
  /** Undefined when the app offers no enrolment routes (numbers come from elsewhere). */
  enrolment:
    | {
        savePhoneNumber: EnrolmentOptions['savePhoneNumber'];
        path: string;
        maxAgeSeconds: number;
        recoveryCodesPath: string;
      }
    | undefined;
  /** Whether a user without a number must enrol (always true without `enrolment.required`). */
  enrolmentRequired: (req: Request, user: MfaUser) => boolean | Promise<boolean>;
  /** Undefined when recovery codes are off. */
  recoveryCodes: (Omit<RecoveryCodesOptions, 'secret'> & { secrets: string[] }) | undefined;
  /** The channels the provider can send on: voice only with a `voiceApplicationId` (or another provider). */
  channels: readonly Channel[];
  /** Undefined when nothing is recorded (off, or `@opentelemetry/api` absent). */
  metrics: import('./metrics/instruments').MfaMetrics | undefined;
  /** Undefined when passkeys are off. */
  passkeys: PasskeysConfig | undefined;
}
