// Sentences for the `?error=<code>` the library's routes redirect browsers with, from the library's own catalogue.
'use strict';

/** Errors about the code typed in are shown next to the code field; the rest next to the send button. */
const CODE_FIELD_ERRORS = new Set(['invalid_code', 'challenge_expired', 'no_pending_challenge', 'invalid_request']);

// The recovery form's own wording: the catalogue's sentences for these speak of the code we sent.
const RECOVERY_FORM_ERRORS = {
  invalid_code: 'That recovery code is not valid or was already used. Check it and try again.',
  invalid_request: 'Enter a recovery code as you saved it, such as ABCD-EFGH-JKMN-PQRS.',
};

/**
 * The `?error=<code>&wait=<seconds>` the library redirects with, as `{ code, text }` in the visitor's language, or
 * undefined for anything that is not one of the library's codes: raw query text is never shown.
 * @param {import('express').Request} req
 * @param {import('express-bandwidth-mfa').Mfa} mfa
 */
function libraryError(req, mfa) {
  const text = mfa.errorMessage(req);
  return text === undefined ? undefined : { code: String(req.query.error), text };
}

/** For the challenge page: which form the error belongs to (`code`, `send` or `recovery`) and its sentence. */
function errorNotice(req, mfa) {
  const error = libraryError(req, mfa);
  if (!error) return undefined;
  if (req.query.form === 'recovery') return { field: 'recovery', text: RECOVERY_FORM_ERRORS[error.code] ?? error.text, code: error.code };
  return { field: CODE_FIELD_ERRORS.has(error.code) ? 'code' : 'send', text: error.text, code: error.code };
}

const CHANNEL_NAMES = { sms: 'by text message', voice: 'by voice call' };

/** "We sent a code by text message to +1******0100." for `?sent=sms`. */
function sentNotice(channel, state) {
  if (!Object.prototype.hasOwnProperty.call(CHANNEL_NAMES, channel) || !state.pending) return undefined;
  return `We sent a code ${CHANNEL_NAMES[state.pending.channel]} to ${state.pending.maskedPhoneNumber}.`;
}

module.exports = { libraryError, errorNotice, sentNotice, CODE_FIELD_ERRORS };
