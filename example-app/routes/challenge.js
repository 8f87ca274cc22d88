// The second-factor pages: GET /2fa renders the challenge or the lockout; the library handles send and verify.
'use strict';

const express = require('express');
const mfa = require('express-bandwidth-mfa');
const { csrfToken } = require('../lib/csrf');
const { wantsJson, currentUser } = require('../lib/respond');
const { sandboxCode } = require('../lib/sandbox');
const { challengePage, lockoutPage } = require('../views/challenge');
const { errorNotice, sentNotice } = require('../views/messages');
const { sandboxBanner } = require('../views/sandbox-banner');
const { enrolmentGuard } = require('../lib/enrolment');

/**
 * @param {object} deps
 * @param {object} deps.accounts
 * @param {object} [deps.emulator]  set in sandbox mode only
 * @param {boolean} deps.voiceAvailable
 * @param {number} deps.trustedDeviceDays  offer "trust this browser" for that many days; 0: not offered
 * @param {string} deps.loginScope
 */
function challengeRoutes({ accounts, emulator, voiceAvailable, trustedDeviceDays, loginScope }) {
  const router = express.Router();

  router.get('/2fa', enrolmentGuard(accounts), async (req, res) => {
    const user = await currentUser(req, accounts);
    if (!user) return res.redirect(302, '/login');
    const state = await mfa.getChallengeState(req);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.json(state);

    const locked = state.lockedOutForSeconds > 0;
    // The code is shown only while it can still be entered.
    const banner = emulator
      ? sandboxBanner(state.pending && !locked ? { code: sandboxCode(emulator, user.phoneNumber), maskedPhoneNumber: state.pending.maskedPhoneNumber } : {})
      : undefined;
    const token = csrfToken(req);
    if (locked) {
      res.status(429).set('Retry-After', String(state.lockedOutForSeconds));
      return res.send(lockoutPage({ state, csrfToken: token, banner }));
    }
    res.send(challengePage({
      state,
      csrfToken: token,
      error: errorNotice(req),
      status: typeof req.query.sent === 'string' ? sentNotice(req.query.sent, state) : undefined,
      voiceAvailable,
      // A step-up code confirms one action; trusting the browser only makes sense at sign-in.
      trustDays: (state.pending?.scope ?? state.scope) === loginScope ? trustedDeviceDays : 0,
      banner,
    }));
  });

  router.post('/2fa/send', mfa.sendCodeRoute());
  router.post('/2fa/verify', mfa.verifyCodeRoute());
  return router;
}

module.exports = { challengeRoutes };
