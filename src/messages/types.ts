// The shape of a message catalogue: every sentence the library shows to a person, per locale.

/**
 * Sentences may hold `{wait}` (a duration such as "2 minutes"), `{digits}`, or `{attempts}` (attempts left, in
 * `invalid_code`).
 * SMS and voice templates keep Bandwidth's own `{CODE}` and `{NAME}`; `{SCOPE}` is filled in by us.
 */
export interface MessageCatalogue {
  authentication_required: string;
  second_factor_required: string;
  invalid_request: string;
  invalid_code_format: string;
  invalid_recovery_code_format: string;
  invalid_channel: string;
  no_pending_challenge: string;
  challenge_expired: string;
  invalid_code: string;
  invalid_phone_number: string;
  destination_not_allowed: string;
  enrolment_required: string;
  account_locked: string;
  resend_cooldown: string;
  send_limit_reached: string;
  locked_out: string;
  provider_unavailable: string;
  provider_misconfigured: string;
  service_unavailable: string;
  not_configured: string;
  /** Stands in for `{wait}` when the wait is not known: "Try again in a moment." */
  wait_unknown: string;
  sms_template: string;
  voice_template: string;
  /** Plural forms by `Intl.PluralRules` category (`one`, `other`, `few`...), each with `{count}`. */
  seconds: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  minutes: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  hours: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
}

export type MessageKey = Exclude<keyof MessageCatalogue, 'seconds' | 'minutes' | 'hours'>;
