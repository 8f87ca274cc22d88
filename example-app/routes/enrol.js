// Adding or changing the phone number: GET /2fa/enrol renders the page; the library's routes send and check the code.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson } = require('../lib/respond');
const { sandboxCode } = require('../lib/sandbox');
const { phoneHint } = require('../lib/phone-hint');
const { ENROL_PATH, LOGIN_PATH } = require('../lib/paths');
const { enrolPage } = require('../views/enrol');
const { lockoutPage } = require('../views/lockout');
const { CODE_FIELD_ERRORS, libraryError, sentNotice } = require('../views/messages');
const { sandboxBanner } = require('../views/sandbox-banner');

// Where a changed number leads: the security page, which says so.
const AFTER_CHANGE = '/account?changed=phone';

/**
 * @param {object} deps
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {object} [deps.emulator]  set in sandbox mode only
 * @param {boolean} deps.voiceAvailable
 * @param {string} deps.defaultCountry  MFA_DEFAULT_COUNTRY
 * @param {number} deps.sensitiveMaxAgeSeconds  MFA_SENSITIVE_MAX_AGE_SECONDS
 * @param {boolean} deps.passkeys  whether the library's `passkeys` option is on
 */
function enrolRoutes({ mfa, emulator, voiceAvailable, defaultCountry, sensitiveMaxAgeSeconds, passkeys }) {
  const router = express.Router();
  const hint = phoneHint(defaultCountry);
  const recentFactor = mfa.requireSecondFactor({ maxAgeSeconds: sensitiveMaxAgeSeconds });

  /**
   * Changing a number on record needs a recent code: the library checks it when the new number is posted; asking
   * here first saves typing a number in vain. A code already sent to the new number may still be entered.
   */
  async function changeNeedsRecentFactor(req, res, next) {
    const state = await mfa.getChallengeState(req);
    if (state.signedIn && state.enrolled && !state.pending?.enrolment) return recentFactor(req, res, next);
    next();
  }

  router.get(ENROL_PATH, changeNeedsRecentFactor, async (req, res) => {
    const state = await mfa.getChallengeState(req);
    if (!state.signedIn) return res.redirect(302, LOGIN_PATH);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.json(state);

    const pending = state.pending?.enrolment ? state.pending : undefined;
    const locked = state.lockedOutForSeconds > 0;
    const banner = emulator
      ? sandboxBanner(
          pending && !locked
            ? { code: sandboxCode(emulator, pending.maskedPhoneNumber), maskedPhoneNumber: pending.maskedPhoneNumber }
            : {},
        )
      : undefined;
    const token = csrfToken(req);
    if (locked) {
      res.status(429).set('Retry-After', String(state.lockedOutForSeconds));
      return res.send(lockoutPage({ state, csrfToken: token, banner, checkAgain: ENROL_PATH }));
    }
    res.send(
      enrolPage({
        state,
        changing: Boolean(state.enrolled),
        csrfToken: token,
        error: placeError(libraryError(req, mfa), { pending, wait: state.resendAvailableInSeconds }),
        status: pending && typeof req.query.sent === 'string' ? sentNotice(req.query.sent, state) : undefined,
        phoneHint: hint,
        voiceAvailable,
        returnTo: state.enrolled ? AFTER_CHANGE : undefined,
        banner,
        // Only while the user has none: after the phone, a passkey is the recommended next factor.
        passkeysOn: passkeys && !state.passkeys,
      }),
    );
  });

  // The library sends their errors back to this page (`enrolment.path`); "confirm it is you first" goes to /2fa.
  router.post(`${ENROL_PATH}/send`, mfa.enrolSendRoute());
  router.post(`${ENROL_PATH}/verify`, mfa.enrolVerifyRoute());
  return router;
}

/** Code errors at the code field while a code is waiting; the rest at the phone field, where the send form is. */
function placeError(error, { pending, wait }) {
  if (!error) return undefined;
  if (pending && CODE_FIELD_ERRORS.has(error.code)) return { field: 'code', text: error.text };
  // The countdown under the button already says how long to wait.
  if (error.code === 'resend_cooldown' && wait > 0) return undefined;
  return { field: 'phone', text: error.text };
}

module.exports = { enrolRoutes };
