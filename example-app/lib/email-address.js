// The one rule for the optional e-mail address security notices go to.
'use strict';

const MAX_EMAIL_LENGTH = 254;
// One @, no spaces, angle brackets, quotes or separators a mail header could be split on; a dot in the domain.
const EMAIL = /^[^\s@<>()[\]",;:\\]+@[^\s@<>()[\]",;:\\]+\.[^\s@<>()[\]",;:\\]+$/;

const NOT_AN_ADDRESS = `Enter an e-mail address such as jo@example.com (up to ${MAX_EMAIL_LENGTH} characters), or leave the field empty.`;

/**
 * @param {unknown} value
 * @returns {string | undefined} the problem with this address, as a sentence for the form; undefined when it is fine
 */
function emailProblem(value) {
  if (typeof value !== 'string' || value.length > MAX_EMAIL_LENGTH || !EMAIL.test(value)) return NOT_AN_ADDRESS;
  return undefined;
}

/**
 * The field as typed: '' or absent means none.
 * @param {unknown} value
 * @returns {{ email: string | null, problem?: undefined } | { problem: string, email?: undefined }}
 */
function readEmail(value) {
  if (value === undefined || value === null) return { email: null };
  if (typeof value !== 'string') return { problem: NOT_AN_ADDRESS };
  const email = value.trim();
  if (email === '') return { email: null };
  const problem = emailProblem(email);
  return problem ? { problem } : { email };
}

module.exports = { emailProblem, readEmail, MAX_EMAIL_LENGTH };
