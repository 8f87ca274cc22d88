// English sentences (the fallback for every other locale).
import type { MessageCatalogue } from './types';

export const en: MessageCatalogue = {
  authentication_required: 'Sign in first.',
  second_factor_required: 'Confirm it is you with a one-time code to continue.',
  invalid_request: 'The request could not be read.',
  invalid_code_format: 'Enter the {digits}-digit code we sent you, digits only.',
  invalid_channel: 'Choose how to receive the code: "sms" or "voice".',
  no_pending_challenge: 'Request a code first.',
  challenge_expired: 'That code has expired. Request a new one.',
  invalid_code: 'That code is not valid. Check the newest code we sent you, or request a new one.',
  resend_cooldown: 'A code was just sent. You can ask for another in {wait}.',
  send_limit_reached: 'Too many codes were requested. Try again in {wait}.',
  locked_out: 'Too many attempts. Try again in {wait}.',
  provider_unavailable: 'Codes cannot be sent or checked right now. Try again in {wait}.',
  provider_misconfigured: 'Codes cannot be sent or checked right now because of a configuration problem. The site operator has been told.',
  service_unavailable: 'The service is unavailable right now. Try again in a moment.',
  not_configured: 'Two-factor authentication is not set up correctly on this server.',
  wait_unknown: 'a moment',
  sms_template: 'Your {NAME} verification code is {CODE}. It expires in a few minutes. Never share it.',
  voice_template: 'Your {NAME} verification code is {CODE}.',
  seconds: { one: '{count} second', other: '{count} seconds' },
  minutes: { one: '{count} minute', other: '{count} minutes' },
  hours: { one: '{count} hour', other: '{count} hours' },
};
