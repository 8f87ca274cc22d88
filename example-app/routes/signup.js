// Sign-up: a username and a password make an account, signed in with the password step only, sent on to enrol a phone.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson } = require('../lib/respond');
const { usernameProblem, passwordProblem } = require('../lib/account-rules');
const { readEmail, MAX_EMAIL_LENGTH } = require('../lib/email-address');
const { ENROL_PATH } = require('../lib/paths');
const { AccountError } = require('../lib/db');
const { signInSession } = require('./login');
const { signupPage } = require('../views/signup');

/** @typedef {{ code: string, message: string }} FieldProblem  what is wrong with one field of the form */

/**
 * @param {object} deps
 * @param {import('../lib/db').Accounts} deps.accounts
 * @param {() => import('../views/html').Html | undefined} deps.banner
 */
function signupRoutes({ accounts, banner }) {
  const router = express.Router();

  router.get('/signup', (req, res) => {
    res.send(signupPage({ csrfToken: csrfToken(req), errors: {}, banner: banner() }));
  });

  router.post('/signup', async (req, res, next) => {
    const { username, password } = req.body ?? {};
    const typed = readEmail(req.body?.email);
    /** @param {Record<string, FieldProblem>} errors  one at least; the first one is the JSON answer's */
    const refuse = (errors) => {
      const [field, problem] = /** @type {[string, FieldProblem]} */ (Object.entries(errors)[0]);
      if (wantsJson(req)) return res.status(400).json({ error: problem.code, field, message: problem.message });
      res.status(400).send(
        signupPage({
          csrfToken: csrfToken(req),
          errors: Object.fromEntries(Object.entries(errors).map(([name, { message }]) => [name, message])),
          username: typeof username === 'string' ? username.slice(0, 64) : undefined,
          email: typeof req.body?.email === 'string' ? req.body.email.slice(0, MAX_EMAIL_LENGTH) : undefined,
          banner: banner(),
        }),
      );
    };

    // Both fields are checked first so that the page names every problem at once.
    /** @type {Record<string, FieldProblem>} */
    const errors = {};
    const usernameError = usernameProblem(username);
    if (usernameError) errors.username = { code: 'invalid_username', message: usernameError };
    const passwordError = passwordProblem(password);
    if (passwordError) errors.password = { code: 'invalid_password', message: passwordError };
    if (typed.problem) errors.email = { code: 'invalid_email', message: typed.problem };
    if (Object.keys(errors).length > 0) return refuse(errors);

    let user;
    try {
      user = await accounts.createUser({ username, password });
      if (typed.email) await accounts.setEmail(user.id, typed.email);
    } catch (error) {
      if (error instanceof AccountError) return refuse({ [error.field]: { code: error.code, message: error.message } });
      throw error;
    }
    signInSession(req, user.id, (error) => {
      if (error) return next(error);
      if (wantsJson(req)) return res.status(201).json({ signedUp: true, redirectTo: ENROL_PATH });
      res.redirect(303, ENROL_PATH);
    });
  });

  return router;
}

module.exports = { signupRoutes };
