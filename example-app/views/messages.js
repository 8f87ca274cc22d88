// Sentences for the `?error=<code>` the library's routes redirect browsers with, from the library's own catalogue.
'use strict';

const { errorMessage } = require('express-bandwidth-mfa');

/** Errors about the code typed in are shown next to the code field; the rest next to the send button. */
const CODE_FIELD_ERRORS = new Set(['invalid_code', 'challenge_expired', 'no_pending_challenge', 'invalid_request']);

/**
 * The sentence for the `?error=<code>&wait=<seconds>` the library redirects with, in the visitor's
 * language, or undefined for anything that is not one of the library's codes: raw query text is never shown.
 */
function errorNotice(req) {
  const text = errorMessage(req);
  if (text === undefined) return undefined;
  return { field: CODE_FIELD_ERRORS.has(req.query.error) ? 'code' : 'send', text };
}

const CHANNEL_NAMES = { sms: 'by text message', voice: 'by voice call' };

/** "We sent a code by text message to +1******0100." for `?sent=sms`. */
function sentNotice(channel, state) {
  if (!Object.prototype.hasOwnProperty.call(CHANNEL_NAMES, channel) || !state.pending) return undefined;
  return `We sent a code ${CHANNEL_NAMES[state.pending.channel]} to ${state.pending.maskedPhoneNumber}.`;
}

module.exports = { errorNotice, sentNotice };
