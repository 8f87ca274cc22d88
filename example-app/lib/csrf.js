// CSRF protection for forms: one random token per session, sent back in a hidden field, compared in constant time.
'use strict';

const { randomBytes, timingSafeEqual } = require('node:crypto');

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** The session's token, created on first use (which also makes express-session save the session). */
function csrfToken(req) {
  if (typeof req.session.csrfToken !== 'string') req.session.csrfToken = randomBytes(32).toString('base64url');
  return req.session.csrfToken;
}

class CsrfError extends Error {
  constructor() {
    super('The form was missing its CSRF token or it did not match this session.');
    this.name = 'CsrfError';
    this.status = 403;
  }
}

/**
 * Refuses state-changing requests without the session's token. JSON bodies are let through: a browser
 * cannot send `Content-Type: application/json` to another site without a CORS preflight, and this app
 * answers no preflight (it enables no CORS). Forms, `text/plain` and bodyless posts all need the token.
 */
function csrfProtection() {
  return function csrfProtection(req, _res, next) {
    if (SAFE_METHODS.has(req.method) || req.is('application/json')) return next();
    const sent = req.body && typeof req.body._csrf === 'string' ? Buffer.from(req.body._csrf) : undefined;
    const expected = typeof req.session?.csrfToken === 'string' ? Buffer.from(req.session.csrfToken) : undefined;
    const valid = sent !== undefined && expected !== undefined && sent.length === expected.length && timingSafeEqual(sent, expected);
    next(valid ? undefined : new CsrfError());
  };
}

module.exports = { csrfToken, csrfProtection, CsrfError };
