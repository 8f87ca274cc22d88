// The password step and sign-out: the app's own login, which the second factor comes after.
'use strict';

const express = require('express');
const { MfaError } = require('express-bandwidth-mfa');
const { csrfToken } = require('../lib/csrf');
const { wantsJson, safeReturnPath, currentUser } = require('../lib/respond');
const { markSignedIn } = require('../lib/session-lifetime');
const { loginPage } = require('../views/login');

const WRONG_CREDENTIALS = 'Wrong username or password.';

/**
 * @param {object} deps
 * @param {import('../lib/db').Accounts} deps.accounts
 * @param {{ name: string, secure: boolean }} deps.cookie
 * @param {() => import('../views/html').Html | undefined} deps.banner
 * @param {boolean} deps.demoHint  show the demo credentials (no EXAMPLE_USERS_FILE)
 */
function loginRoutes({ accounts, cookie, banner, demoHint }) {
  const router = express.Router();

  router.get('/', async (req, res) => res.redirect(302, (await currentUser(req, accounts)) ? '/admin' : '/login'));

  router.get('/login', (req, res) => {
    res.send(loginPage({ csrfToken: csrfToken(req), returnTo: safeReturnPath(req.query.returnTo), demoHint, banner: banner() }));
  });

  router.post('/login', async (req, res, next) => {
    const { username, password, returnTo } = req.body ?? {};
    // Unknown user and wrong password take the same path, time and answer.
    const user = await accounts.checkPassword(username, password);
    if (!user) {
      if (wantsJson(req)) return res.status(401).json({ error: 'invalid_credentials', message: WRONG_CREDENTIALS });
      return res.status(401).send(
        loginPage({
          csrfToken: csrfToken(req),
          error: WRONG_CREDENTIALS,
          returnTo: safeReturnPath(returnTo),
          username: typeof username === 'string' ? username.slice(0, 64) : undefined,
          demoHint,
          banner: banner(),
        }),
      );
    }
    // A user without a number yet is sent on to enrol by the protected page's requireSecondFactor().
    const redirectTo = safeReturnPath(returnTo) ?? '/admin';
    signInSession(req, user.id, (error) => {
      if (error) return next(error);
      // The protected page decides whether a code is needed and sends the browser to /2fa if so.
      if (wantsJson(req)) return res.json({ signedIn: true, redirectTo });
      res.redirect(303, redirectTo);
    });
  });

  router.post('/logout', (req, res, next) => {
    req.session.destroy((error) => {
      if (error) return next(storeUnavailable());
      res.clearCookie(cookie.name, { path: '/', httpOnly: true, sameSite: 'lax', secure: cookie.secure });
      if (wantsJson(req)) return res.json({ signedOut: true });
      res.redirect(303, '/login');
    });
  });

  return router;
}

/**
 * A new session id at sign-in, so an id planted before it (session fixation) opens nothing.
 * @param {import('express').Request} req
 * @param {string} userId
 * @param {(error?: Error) => void} done  called with the library's 503 when the session store failed
 */
function signInSession(req, userId, done) {
  req.session.regenerate((error) => {
    if (error) return done(storeUnavailable());
    markSignedIn(req, userId);
    req.session.save((saveError) => done(saveError ? storeUnavailable() : undefined));
  });
}

/** The session store failed: refuse with the library's 503 rather than guess. */
function storeUnavailable() {
  return new MfaError('service_unavailable', { retryAfterSeconds: 5 });
}

module.exports = { loginRoutes, signInSession };
