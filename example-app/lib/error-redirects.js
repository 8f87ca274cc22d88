// Sends a form's errors back to the page the form is on: the library redirects every browser error to /2fa?error=<code>.
'use strict';

const { CHALLENGE_PATH } = require('./paths');

const ERROR_REDIRECT = new RegExp(`^${CHALLENGE_PATH}\\?error=([a-z_]+)`);
// These need the challenge page itself: a code to the number on record first.
const FOR_THE_CHALLENGE = new Set(['second_factor_required']);

/**
 * Mounted before one of the library's routes: its `303 /2fa?error=<code>&wait=<s>` answers to browsers go to
 * `page` instead (`/2fa/enrol?error=…`), or to `/2fa?error=…&form=<form>` for a second form of the challenge page,
 * so the page can show the sentence next to the field it is about. Success redirects and JSON are left alone.
 *
 * A workaround: the library's routes take no "where to send errors" option yet.
 * @param {{ page?: string, form?: string }} target
 */
function errorsBackTo({ page = CHALLENGE_PATH, form } = {}) {
  const rewrite = (url) => {
    const match = typeof url === 'string' ? ERROR_REDIRECT.exec(url) : null;
    if (!match || FOR_THE_CHALLENGE.has(match[1])) return url;
    return `${page}${url.slice(CHALLENGE_PATH.length)}${form ? `&form=${form}` : ''}`;
  };
  return function errorsBackTo(_req, res, next) {
    const redirect = res.redirect;
    res.redirect = function redirectErrorsBack(...args) {
      // res.redirect(url) or res.redirect(status, url), on Express 4 and 5.
      const at = args.length > 1 ? 1 : 0;
      args[at] = rewrite(args[at]);
      return redirect.apply(this, args);
    };
    next();
  };
}

module.exports = { errorsBackTo };
