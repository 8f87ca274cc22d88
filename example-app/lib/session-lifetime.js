// An absolute session lifetime: however active, a sign-in ends SESSION_ABSOLUTE_HOURS after it happened.
'use strict';

const { MfaError } = require('express-bandwidth-mfa');

/**
 * Runs after express-session. A signed-in session older than `hours` since sign-in (or without a sign-in time,
 * such as one made before this rule existed) is replaced by an empty one: the request goes on signed out.
 * @param {number} hours
 */
function absoluteSessionLifetime(hours) {
  const maxAgeMs = hours * 3600 * 1000;
  /**
   * @param {import('express').Request} req
   * @param {import('express').Response} _res
   * @param {import('express').NextFunction} next
   */
  return function absoluteSessionLifetime(req, _res, next) {
    const session = req.session;
    if (!session || session.userId === undefined) return next();
    if (typeof session.signedInAt === 'number' && Date.now() - session.signedInAt < maxAgeMs) return next();
    // regenerate() destroys the old session in the store, so its cookie opens nothing even if replayed.
    session.regenerate((error) => next(error ? new MfaError('service_unavailable', { retryAfterSeconds: 5 }) : undefined));
  };
}

/**
 * Marks the session signed in now: the start of its absolute lifetime.
 * @param {import('express').Request} req
 * @param {string} userId
 */
function markSignedIn(req, userId) {
  req.session.userId = userId;
  req.session.signedInAt = Date.now();
}

module.exports = { absoluteSessionLifetime, markSignedIn };
