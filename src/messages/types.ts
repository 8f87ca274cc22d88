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
  /** A passkey assertion or registration that did not verify. */
  invalid_passkey: string;
  passkey_not_found: string;
  last_factor: string;
  /** `{max}`: passkeys one user may have. */
  passkey_limit_reached: string;
  invalid_phone_number: string;
  destination_not_allowed: string;
  /** `destination_not_allowed` for a kind of line (premium-rate, toll-free...) that does not get codes by SMS. */
  destination_type_sms: string;
  /** The same for a voice call. */
  destination_type_voice: string;
  enrolment_required: string;
  /** A post from another site's page (its `Origin` or `Sec-Fetch-Site`), refused before anything changed. */
  cross_site_request: string;
  /** After a reset or a removal of the factor: this session must sign in again before it may add a number. */
  reauthentication_required: string;
  account_locked: string;
  resend_cooldown: string;
  send_limit_reached: string;
  /** Sends to this destination (its country, number range or the client's network) or app-wide are paused. */
  send_budget_exceeded: string;
  locked_out: string;
  provider_unavailable: string;
  provider_misconfigured: string;
  service_unavailable: string;
  not_configured: string;
  /** Stands in for `{wait}` when the wait is not known: "Try again in a moment." */
  wait_unknown: string;
  sms_template: string;
  voice_template: string;
  /** For a code bound to one action (`requireSecondFactor({ action })`): must contain `{CODE}` and `{ACTION}`, the app's text of the action. */
  sms_action_template: string;
  voice_action_template: string;
  /** An action text that cannot go into the SMS or voice message. */
  invalid_action: string;
  /** Plural forms by `Intl.PluralRules` category (`one`, `other`, `few`...), each with `{count}`. */
  seconds: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  minutes: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
  hours: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

  // challenge page: the sentences of the built-in page (`challengePage()`); `{phone}` is the masked number.
  page_title: string;
  /** Title when the code is for a step-up scope rather than the login. */
  page_title_step_up: string;
  page_locked_title: string;
  page_held_title: string;
  /** Before any code was sent: what will happen, with `{digits}` and `{phone}`. */
  page_intro: string;
  page_channel_legend: string;
  page_channel_sms: string;
  page_channel_voice: string;
  page_send_button: string;
  /** Above the send form once a code is pending. */
  page_resend_legend: string;
  page_resend_button: string;
  /** The resend countdown, `{wait}` a duration; the page's script keeps it up to date. */
  page_resend_wait: string;
  page_resend_now: string;
  page_code_label: string;
  /** `{digits}`, `{phone}` and `{wait}` (the code's remaining life). */
  page_code_hint: string;
  page_verify_button: string;
  page_sent_sms: string;
  page_sent_voice: string;
  /** `{days}` from the `days` plural forms. */
  page_trust_browser: string;
  page_trust_browser_hint: string;
  page_locked_hint: string;
  page_check_again: string;
  /** Meaningful notice (NIST SP 800-63B-4): what SMS and voice codes do not protect against. */
  page_phone_risk: string;
  /** After `page_phone_risk`, linked to `challengePage({ accountPath })`: where a stronger factor is added. */
  page_stronger_factor: string;
  /** The action a step-up code is for, `{action}` being the app's text of it. */
  page_action: string;
  /** The passkey form, for a user who has one. */
  page_passkey_intro: string;
  page_passkey_button: string;
  /** Said by the page's script when the browser cannot use passkeys, or the person cancelled. */
  page_passkey_unavailable: string;
  page_passkey_failed: string;
  /** Above the SMS/voice form when a passkey is offered first. */
  page_passkey_fallback: string;
  /** A route that asks for a passkey (phishing-resistant): a code will not do. */
  page_passkey_required: string;
  /** The code's hint when the notice above already says where it went: `{digits}` and `{wait}`. */
  page_code_hint_short: string;
  /** The recovery-code form (`challengePage({ recoveryPath })`), at sign-in only. */
  page_recovery_summary: string;
  page_recovery_label: string;
  page_recovery_hint: string;
  page_recovery_button: string;
  /** A wrong or used recovery code (`invalid_code` speaks of the code we sent). */
  page_recovery_invalid: string;
  /** At two or fewer codes left, `{count}` of them. */
  page_recovery_few: string;
  page_recovery_none: string;
  /** The way out (`challengePage({ signOut })`): "Not you?" then the sign-out link or button. */
  page_not_you: string;
  page_sign_out: string;
  days: Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
}

export type MessageKey = Exclude<keyof MessageCatalogue, 'seconds' | 'minutes' | 'hours' | 'days'>;
