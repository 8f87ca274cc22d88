// Sentences for the `?error=<code>` the library's routes redirect browsers with, from the library's own catalogue.
'use strict';

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

const CHANNEL_NAMES = { sms: 'by text message', voice: 'by voice call' };

/**
 * "We sent a code by text message to +1******0100." for `?sent=sms`.
 * @param {string} channel  as the query says it
 * @param {import('express-bandwidth-mfa').ChallengeState} state
 */
function sentNotice(channel, state) {
  if (!Object.prototype.hasOwnProperty.call(CHANNEL_NAMES, channel) || !state.pending) return undefined;
  return `We sent a code ${CHANNEL_NAMES[state.pending.channel]} to ${state.pending.maskedPhoneNumber}.`;
}

module.exports = { libraryError, sentNotice };
