// Adding or changing the phone number: GET /2fa/enrol renders the page; the library's routes send and check the code.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson } = require('../lib/respond');
const { sandboxCode } = require('../lib/sandbox');
const { phoneHint } = require('../lib/phone-hint');
const { ACCOUNT_PATH, ENROL_PATH, LOGIN_PATH } = require('../lib/paths');
const { enrolPage } = require('../views/enrol');
const { lockoutPage } = require('../views/lockout');
const { sentNotice } = require('../views/messages');
const { sandboxBanner } = require('../views/sandbox-banner');

// Where a changed number leads: the security page, which says so.
const AFTER_CHANGE = '/account?changed=phone';

/**
 * @param {object} deps
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {import('express-bandwidth-mfa/testing').BandwidthEmulator} [deps.emulator]  set in sandbox mode only
 * @param {boolean} deps.voiceAvailable
 * @param {import('libphonenumber-js').CountryCode} deps.defaultCountry  MFA_DEFAULT_COUNTRY
 * @param {number} deps.sensitiveMaxAgeSeconds  MFA_SENSITIVE_MAX_AGE_SECONDS
 * @param {boolean} deps.passkeys  whether the library's `passkeys` option is on
 */
function enrolRoutes({ mfa, emulator, voiceAvailable, defaultCountry, sensitiveMaxAgeSeconds, passkeys }) {
  const router = express.Router();
  const hint = phoneHint(defaultCountry);
  const recentFactor = mfa.requireSecondFactor({ maxAgeSeconds: sensitiveMaxAgeSeconds });
  // Locked out, the page is the challenge page's lockout (its sentences, its 429 and Retry-After); "Check again" comes back here.
  const lockout = mfa.challengePage({
    csrfToken,
    checkAgainPath: ENROL_PATH,
    accountPath: ACCOUNT_PATH,
    render: (state, pieces) => lockoutPage({ state, pieces, banner: emulator ? sandboxBanner() : undefined }),
  });

  /**
   * Changing a number on record needs a recent code: the library checks it when the new number is posted; asking
   * here first saves typing a number in vain. A code already sent to the new number may still be entered.
   * @param {express.Request} req
   * @param {express.Response} res
   * @param {express.NextFunction} next
   */
  async function changeNeedsRecentFactor(req, res, next) {
    const state = await mfa.getChallengeState(req);
    if (state.signedIn && state.enrolled && !state.pending?.enrolment) return recentFactor(req, res, next);
    next();
  }

  /**
   * The lockout's script and styles are linked relative to this page (`?asset=`): public files the library's page
   * handler serves, no session needed.
   * @param {express.Request} req
   * @param {express.Response} res
   * @param {express.NextFunction} next
   */
  function pageAssets(req, res, next) {
    if (req.query.asset === undefined) return next();
    lockout(req, res, next);
  }

  router.get(ENROL_PATH, pageAssets, changeNeedsRecentFactor, async (req, res, next) => {
    const state = await mfa.getChallengeState(req);
    if (!state.signedIn) return res.redirect(302, LOGIN_PATH);
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) return res.json(state);
    if (state.lockedOutForSeconds > 0) return lockout(req, res, next);

    const pending = state.pending?.enrolment ? state.pending : undefined;
    const banner = emulator
      ? sandboxBanner(
          pending ? { code: sandboxCode(emulator, pending.maskedPhoneNumber), maskedPhoneNumber: pending.maskedPhoneNumber } : {},
        )
      : undefined;
    res.send(
      enrolPage({
        state,
        changing: Boolean(state.enrolled),
        csrfToken: csrfToken(req),
        error: placeError(mfa.pageError(req, state), pending),
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

/**
 * Where the library's page would put the error: about the code typed in, at the code field while that form is shown;
 * the rest at the phone field, where the send form is.
 * @param {import('express-bandwidth-mfa').PageError | undefined} error
 * @param {import('express-bandwidth-mfa').ChallengeState['pending']} pending  the code sent to the number being added
 * @returns {{ field: 'code' | 'phone', text: string } | undefined}
 */
function placeError(error, pending) {
  if (!error) return undefined;
  return { field: error.near === 'code' && pending ? 'code' : 'phone', text: error.text };
}

module.exports = { enrolRoutes };
