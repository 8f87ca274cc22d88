// CSRF protection for forms without a server session: a signed double-submit cookie, checked in constant time.
'use strict';

const { createHmac, hkdfSync, randomBytes, timingSafeEqual } = require('node:crypto');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const NONCE = /^[A-Za-z0-9_-]{43}$/;

class CsrfError extends Error {
  constructor() {
    super('The form was missing its CSRF token or it did not match this browser.');
    this.name = 'CsrfError';
    this.status = 403;
  }
}

/**
 * One cookie's value from the Cookie header (the first one, as browsers list the most specific first).
 * @param {import('express').Request} req
 * @param {string} name
 */
function readCookie(req, name) {
  for (const pair of (req.headers.cookie ?? '').split(';')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at).trim() === name) return pair.slice(at + 1).trim();
  }
  return undefined;
}

/**
 * The cookie holds a random nonce; the form carries HMAC(key, nonce + what the token is bound to). Before sign-in
 * that is the nonce alone, so showing /login or /signup needs no session (a flood of anonymous visits cannot fill
 * the session store). Once signed in it is also the session id, which another site cannot know or set.
 *
 * @param {{ secret: string, production: boolean }} options  `secret`: the session secret; the CSRF key is derived from it
 * @returns the middleware; it gives every request `req.csrfToken()` for the hidden `_csrf` field
 */
function csrfProtection({ secret, production }) {
  const key = Buffer.from(hkdfSync('sha256', secret, 'express-bandwidth-mfa example app', 'csrf token', 32));
  // __Host-: only this host over HTTPS may set it, so a sibling subdomain cannot plant a nonce of its choosing.
  const cookieName = production ? '__Host-csrf' : 'csrf';
  /**
   * @param {string} nonce
   * @param {import('express').Request} req
   */
  const tokenFor = (nonce, req) => {
    const binding = typeof req.session?.userId === 'string' ? `session:${req.sessionID}` : 'anonymous';
    return createHmac('sha256', key).update(`${nonce}\n${binding}`).digest('base64url');
  };

  /**
   * @param {import('express').Request} req
   * @param {import('express').Response} res
   * @param {import('express').NextFunction} next
   */
  return function csrfProtection(req, res, next) {
    const sent = readCookie(req, cookieName);
    const nonce = sent !== undefined && NONCE.test(sent) ? sent : undefined;
    let pageNonce = nonce;
    req.csrfToken = () => {
      if (pageNonce === undefined) {
        pageNonce = randomBytes(32).toString('base64url');
        // Like express-session: a Secure cookie is not offered over plain http, where the browser would drop it.
        if (!production || req.secure)
          res.cookie(cookieName, pageNonce, { httpOnly: true, sameSite: 'lax', secure: production, path: '/' });
      }
      return tokenFor(pageNonce, req);
    };

    // JSON bodies need no token: a browser cannot send `Content-Type: application/json` to another site without a
    // CORS preflight, and this app answers no preflight. Forms, `text/plain` and bodyless posts all need it.
    if (SAFE_METHODS.has(req.method) || req.is('application/json')) return next();
    const field = req.body && typeof req.body._csrf === 'string' ? Buffer.from(req.body._csrf) : undefined;
    const expected = nonce === undefined ? undefined : Buffer.from(tokenFor(nonce, req));
    const valid = field !== undefined && expected !== undefined && field.length === expected.length && timingSafeEqual(field, expected);
    next(valid ? undefined : new CsrfError());
  };
}

/**
 * The token for the page being rendered (sets the nonce cookie on first use).
 * @param {import('express').Request} req
 * @returns {string}
 */
function csrfToken(req) {
  return req.csrfToken();
}

module.exports = { csrfProtection, csrfToken, CsrfError };
