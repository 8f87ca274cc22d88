// The protected pages: /admin needs the second factor; each transfer needs a code of its own, naming its amount.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson, signedInUser } = require('../lib/respond');
const { adminPage, transferPage, apiKeysPage } = require('../views/admin');

const TRANSFER_MAX_AGE_SECONDS = 300;
const AMOUNT = /^(?:0|[1-9]\d{0,6})(?:\.\d{1,2})?$/;

/**
 * @param {object} deps
 * @param {import('../lib/db').Accounts} deps.accounts
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {number} [deps.stepUpMaxAgeSeconds]  MFA_STEP_UP_MAX_AGE_SECONDS: how old the sign-in code may be
 * @param {() => import('../views/html').Html | undefined} deps.banner
 * @param {boolean} [deps.passkeys]  whether the library's `passkeys` option is on
 */
function adminRoutes({ accounts, mfa, stepUpMaxAgeSeconds, banner, passkeys = false }) {
  const router = express.Router();
  // A user without a number is sent to enrol by this guard too (enrolment.required in lib/mfa-options.js).
  const secondFactor = mfa.requireSecondFactor(stepUpMaxAgeSeconds ? { maxAgeSeconds: stepUpMaxAgeSeconds } : {});
  // Its own scope: the sign-in code, however recent, never confirms a transfer. The SMS names the amount, and the
  // code confirms that one transfer only (PSD2 dynamic linking): another amount, or a second transfer, needs a new code.
  const transferCode = mfa.requireSecondFactor({
    scope: 'transfer',
    maxAgeSeconds: TRANSFER_MAX_AGE_SECONDS,
    singleUse: true,
    action: (req) => transferText(req.body.amount),
  });

  router.get('/admin', secondFactor, async (req, res) => {
    const user = await signedInUser(req, accounts);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.json({ username: user.username, secondFactor: true });
    res.send(adminPage({ username: user.username, csrfToken: csrfToken(req), banner: banner(), passkeys }));
  });

  if (passkeys) {
    // Admin-grade: NIST's phishing-resistant option at AAL2. A code, a recovery code or a trusted browser sends the user to /2fa.
    const passkeyOnly = mfa.requireSecondFactor({ phishingResistant: true });
    router.get('/admin/api-keys', secondFactor, passkeyOnly, (req, res) => {
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) return res.json({ apiKeys: ['sk_live_…4f2a'] });
      res.send(apiKeysPage({ csrfToken: csrfToken(req), banner: banner() }));
    });
  }

  // The form; after the code, the browser comes back here with the amount it asked for filled in, to send it again.
  router.get('/admin/transfer', secondFactor, (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.send(transferPage({ csrfToken: csrfToken(req), banner: banner(), draft: req.session.transferDraft }));
  });

  /**
   * A bad amount is answered before the guard: no code is sent for a transfer that cannot happen.
   * @param {import('express').Request} req
   * @param {import('express').Response} res
   * @param {import('express').NextFunction} next
   */
  function checkAmount(req, res, next) {
    const amount = req.body?.amount;
    if (typeof amount === 'string' && AMOUNT.test(amount) && Number(amount) > 0) {
      req.session.transferDraft = amount;
      return next();
    }
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.status(400).json({ error: 'invalid_amount', message: 'Enter an amount such as 25 or 25.50.' });
    res.status(400).send(
      transferPage({
        csrfToken: csrfToken(req),
        banner: banner(),
        error: 'Enter an amount such as 25 or 25.50.',
        amount: typeof amount === 'string' ? amount.slice(0, 20) : undefined,
      }),
    );
  }

  router.post('/admin/transfer', secondFactor, checkAmount, transferCode, (req, res) => {
    const { amount } = req.body;
    delete req.session.transferDraft;
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.json({ transferred: true, amount });
    res.send(transferPage({ csrfToken: csrfToken(req), banner: banner(), done: { amount } }));
  });

  return router;
}

/**
 * What the code's SMS says it approves: the amount as the form sent it, checked by checkAmount first.
 * @param {string} amount
 */
function transferText(amount) {
  return `Transfer of ${amount} USD`;
}

module.exports = { adminRoutes, transferText };
