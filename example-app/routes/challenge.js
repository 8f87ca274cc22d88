// The second-factor pages: GET /2fa renders the challenge or the lockout; the library handles send, verify and recovery.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson } = require('../lib/respond');
const { sandboxCode } = require('../lib/sandbox');
const { ACCOUNT_PATH, CHALLENGE_PATH, ENROL_PATH, LOGIN_PATH, PASSKEY_SIGNIN_PATH, RECOVERY_CODES_PATH, RECOVERY_PATH } = require('../lib/paths');
const { challengePage, lockoutPage } = require('../views/challenge');
const { errorNotice, sentNotice } = require('../views/messages');
const { sandboxBanner } = require('../views/sandbox-banner');

// Why a code is asked for, from where the library will send the browser back once it is in.
const REASONS = {
  [ENROL_PATH]: 'To change your phone number, first confirm it is you.',
  [RECOVERY_CODES_PATH]: 'To make new recovery codes, first confirm it is you.',
  [ACCOUNT_PATH]: 'To open your security settings, first confirm it is you.',
};

/**
 * @param {object} deps
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {object} [deps.emulator]  set in sandbox mode only
 * @param {boolean} deps.voiceAvailable
 * @param {number} deps.trustedDeviceDays  offer "trust this browser" for that many days; 0: not offered
 * @param {string} deps.loginScope
 * @param {boolean} deps.passkeys  whether the library's `passkeys` option is on
 */
function challengeRoutes({ mfa, emulator, voiceAvailable, trustedDeviceDays, loginScope, passkeys }) {
  const router = express.Router();

  router.get('/2fa', async (req, res) => {
    const state = await mfa.getChallengeState(req);
    if (!state.signedIn) return res.redirect(302, LOGIN_PATH);
    // No number on record and no passkey: nothing to confirm it with; the enrolment page is where this user goes.
    if (state.enrolled === false && !state.passkeys) return res.redirect(302, ENROL_PATH);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.json(state);

    // A code sent to a number being added belongs to the enrolment page, not to this form.
    const pending = state.pending?.enrolment ? undefined : state.pending;
    const locked = state.lockedOutForSeconds > 0;
    // The code is shown only while it can still be entered.
    const banner = emulator
      ? sandboxBanner(pending && !locked ? { code: sandboxCode(emulator, pending.maskedPhoneNumber), maskedPhoneNumber: pending.maskedPhoneNumber } : {})
      : undefined;
    const token = csrfToken(req);
    if (locked) {
      res.status(429).set('Retry-After', String(state.lockedOutForSeconds));
      return res.send(lockoutPage({ state, csrfToken: token, banner }));
    }
    const scope = pending?.scope ?? state.scope;
    // A phishing-resistant page (`requireSecondFactor({ phishingResistant: true })`) takes a passkey only.
    const codeAllowed = state.enrolled !== false && (!state.methods || state.methods.includes('sms') || state.methods.includes('voice'));
    // "Confirm it is you first" is a step of the flow, not a mistake: said as the reason, not as an error.
    const asked = req.query.error === 'second_factor_required';
    const reason = REASONS[pathOf(state.returnTo)] ?? (asked ? mfa.errorMessage(req) : undefined);
    res.send(challengePage({
      state: { ...state, pending },
      csrfToken: token,
      error: asked ? undefined : errorNotice(req, mfa),
      status: typeof req.query.sent === 'string' ? sentNotice(req.query.sent, { pending }) : undefined,
      reason,
      voiceAvailable,
      // A step-up code confirms one action; trusting the browser only makes sense at sign-in.
      trustDays: scope === loginScope ? trustedDeviceDays : 0,
      offerRecovery: codeAllowed && scope === loginScope && state.recoveryCodesLeft !== undefined,
      offerPasskey: state.passkeys > 0,
      codeAllowed,
      banner,
    }));
  });

  if (passkeys) {
    // JSON from /static/passkeys.js: the options for the browser, then its answer, which verifies this session.
    router.post(`${PASSKEY_SIGNIN_PATH}/options`, mfa.passkeyAuthenticationOptionsRoute());
    router.post(`${PASSKEY_SIGNIN_PATH}/verify`, mfa.passkeyAuthenticationVerifyRoute());
  }
  router.post('/2fa/send', mfa.sendCodeRoute());
  router.post('/2fa/verify', mfa.verifyCodeRoute());
  // Its errors come back to the recovery form of this page (`form=recovery`), not to the code field.
  router.post(RECOVERY_PATH, mfa.recoveryRoute({ errorPath: `${CHALLENGE_PATH}?form=recovery` }));
  return router;
}

/** `/2fa/enrol?x=1` → `/2fa/enrol`; the library only keeps same-site paths there. */
function pathOf(returnTo) {
  return typeof returnTo === 'string' ? returnTo.split(/[?#]/)[0] : undefined;
}

module.exports = { challengeRoutes };
