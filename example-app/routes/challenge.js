// The second-factor page: GET /2fa is the library's built-in page in this app's layout; the library handles send, verify and recovery.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson } = require('../lib/respond');
const { sandboxCode } = require('../lib/sandbox');
const {
  ACCOUNT_PATH,
  CHALLENGE_PATH,
  ENROL_PATH,
  LOGIN_PATH,
  PASSKEY_SIGNIN_PATH,
  RECOVERY_CODES_PATH,
  RECOVERY_PATH,
} = require('../lib/paths');
const { libraryPage } = require('../views/layout');
const { sandboxBanner } = require('../views/sandbox-banner');

/** @type {Record<string, string | undefined>} */
const TITLES = { transfer: 'Confirm the transfer' };

// Why a code is asked for, from where the library will send the browser back once it is in.
/** @type {Record<string, string | undefined>} */
const REASONS = {
  [ENROL_PATH]: 'To change your phone number, first confirm it is you.',
  [RECOVERY_CODES_PATH]: 'To make new recovery codes, first confirm it is you.',
  [ACCOUNT_PATH]: 'To open your security settings, first confirm it is you.',
};

/**
 * @param {object} deps
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {import('express-bandwidth-mfa/testing').BandwidthEmulator} [deps.emulator]  set in sandbox mode only
 * @param {string} deps.loginScope
 * @param {boolean} deps.passkeys  whether the library's `passkeys` option is on
 */
function challengeRoutes({ mfa, emulator, loginScope, passkeys }) {
  const router = express.Router();

  /**
   * What the built-in page leaves to the app: where a user with nothing to confirm goes, and the JSON answer.
   * @param {import('express').Request} req
   * @param {import('express').Response} res
   * @param {import('express').NextFunction} next
   */
  async function beforePage(req, res, next) {
    // The page's own script and styles (`?asset=`) are public files: no session needed.
    if (req.query.asset !== undefined) return next();
    const state = await mfa.getChallengeState(req);
    if (!state.signedIn) return res.redirect(302, LOGIN_PATH);
    // No number on record and no passkey: nothing to confirm it with; the enrolment page is where this user goes.
    if (state.enrolled === false && !state.passkeys) return res.redirect(302, ENROL_PATH);
    if (wantsJson(req)) return res.set('Cache-Control', 'no-store').json(state);
    next();
  }

  router.get(
    CHALLENGE_PATH,
    beforePage,
    mfa.challengePage({
      csrfToken,
      // The code already sent decides what it is for; otherwise what the protected page asked for.
      title: (state) =>
        state.lockedOutForSeconds > 0
          ? state.accountLocked
            ? 'Account locked'
            : 'Too many attempts'
          : (TITLES[state.pending?.scope ?? state.scope] ?? 'Confirm it is you'),
      reason: (state) => REASONS[pathOf(state.returnTo) ?? ''],
      accountPath: ACCOUNT_PATH,
      recoveryPath: RECOVERY_PATH,
      signOut: { path: '/logout', method: 'POST' },
      passkeyOptionsPath: `${PASSKEY_SIGNIN_PATH}/options`,
      passkeyVerifyPath: `${PASSKEY_SIGNIN_PATH}/verify`,
      render: (state, pieces) => {
        const pending = state.pending?.enrolment ? undefined : state.pending;
        // The code is shown only while it can still be entered.
        const banner = emulator
          ? sandboxBanner(
              pending && !state.lockedOutForSeconds
                ? { code: sandboxCode(emulator, pending.maskedPhoneNumber), maskedPhoneNumber: pending.maskedPhoneNumber }
                : {},
            )
          : undefined;
        return libraryPage(pieces, {
          // Security settings need the sign-in code first; a step-up page comes after it. The page has its own sign-out.
          secondFactor: state.verified || (pending?.scope ?? state.scope) !== loginScope,
          signOut: false,
          banner,
        });
      },
    }),
  );

  if (passkeys) {
    // JSON from the page's passkey script: the options for the browser, then its answer, which verifies this session.
    router.post(`${PASSKEY_SIGNIN_PATH}/options`, mfa.passkeyAuthenticationOptionsRoute());
    router.post(`${PASSKEY_SIGNIN_PATH}/verify`, mfa.passkeyAuthenticationVerifyRoute());
  }
  router.post(`${CHALLENGE_PATH}/send`, mfa.sendCodeRoute());
  router.post(`${CHALLENGE_PATH}/verify`, mfa.verifyCodeRoute());
  // Its errors come back to the recovery form of the page (`form=recovery`), not to the code field.
  router.post(RECOVERY_PATH, mfa.recoveryRoute({ errorPath: `${CHALLENGE_PATH}?form=recovery` }));
  return router;
}

/**
 * `/2fa/enrol?x=1` → `/2fa/enrol`; the library only keeps same-site paths there.
 * @param {string | undefined} returnTo
 */
function pathOf(returnTo) {
  return typeof returnTo === 'string' ? returnTo.split(/[?#]/)[0] : undefined;
}

module.exports = { challengeRoutes };
