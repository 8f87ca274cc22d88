// GET /account, the security page, and the trusted-browser revocations it posts; all behind the second factor.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson, signedInUser } = require('../lib/respond');
const { ACCOUNT_PATH, ACCOUNT_PASSKEYS_PATH } = require('../lib/paths');
const { libraryError } = require('../views/messages');
const { accountPage } = require('../views/account');
const { errorPage } = require('../views/errors');
const { readEmail } = require('../lib/email-address');

// The id the library gives a trusted browser (listTrustedDevices); anything else is refused before it is used.
const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;
const ACTOR = 'account-page';
const NOT_A_DEVICE = 'That is not a trusted browser of this account.';

/** What `?changed=` and `?revoked=` mean; any other value says nothing. */
const NOTICES = {
  'changed=phone': (/** @type {import('express-bandwidth-mfa').ChallengeState} */ state) =>
    `Your phone number is now ${state.maskedPhoneNumber}. Browsers you trusted will ask for a code again.`,
  'revoked=one': () => 'That browser will ask for a code at its next sign-in.',
  'revoked=none': () => 'That browser was not trusted any more.',
  'revoked=all': () => 'Every browser will ask for a code at its next sign-in.',
  'changed=email': () => 'Security notices now go to the address below.',
  'passkey=added': () => 'Your passkey is added. Next time, sign in with it instead of a code.',
  'passkey=removed': () => 'That passkey is removed. It no longer signs you in.',
};
const HISTORY_LENGTH = 10;

/**
 * @param {string} key  `changed=phone`, `revoked=all`...
 * @returns {key is keyof typeof NOTICES}
 */
function isNotice(key) {
  return Object.prototype.hasOwnProperty.call(NOTICES, key);
}

/**
 * @param {object} deps
 * @param {import('../lib/db').Accounts} deps.accounts
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {number} deps.sensitiveMaxAgeSeconds
 * @param {() => import('../views/html').Html | undefined} deps.banner
 * @param {boolean} deps.passkeys  whether the library's `passkeys` option is on
 */
function accountRoutes({ accounts, mfa, sensitiveMaxAgeSeconds, banner, passkeys }) {
  const router = express.Router();
  const secondFactor = mfa.requireSecondFactor();
  // Where security notices go is part of what protects the account: a recent code, as for the number.
  const recentFactor = mfa.requireSecondFactor({ maxAgeSeconds: sensitiveMaxAgeSeconds });

  router.get(ACCOUNT_PATH, secondFactor, async (req, res) => {
    const [user, state] = await Promise.all([signedInUser(req, accounts), mfa.getChallengeState(req)]);
    const [devices, email, activity] = await Promise.all([
      mfa.listTrustedDevices(user.id),
      accounts.emailOf(user.id),
      accounts.recentSecurityEvents(user.id, HISTORY_LENGTH),
    ]);
    const keys = passkeys ? await accounts.listPasskeys(user.id) : undefined;
    if (wantsJson(req)) {
      return res.json({
        username: user.username,
        maskedPhoneNumber: state.maskedPhoneNumber,
        recoveryCodesLeft: state.recoveryCodesLeft ?? null,
        trustedBrowsers: devices,
        email,
        securityActivity: activity,
        ...(keys
          ? { passkeys: keys.map(({ credentialId, name, createdAt, lastUsedAt }) => ({ credentialId, name, createdAt, lastUsedAt })) }
          : {}),
      });
    }
    const notice = ['changed', 'revoked', 'passkey'].map((name) => `${name}=${req.query[name]}`).find(isNotice);
    res.send(
      accountPage({
        maskedPhoneNumber: state.maskedPhoneNumber,
        recoveryCodesLeft: state.recoveryCodesLeft,
        devices,
        email,
        activity,
        passkeys: keys,
        passkeyError: libraryError(req, mfa)?.text,
        status: notice ? NOTICES[notice](state) : undefined,
        sensitiveMinutes: Math.ceil(sensitiveMaxAgeSeconds / 60),
        csrfToken: csrfToken(req),
        banner: banner(),
      }),
    );
  });

  router.post(`${ACCOUNT_PATH}/email`, recentFactor, async (req, res) => {
    const typed = readEmail(req.body?.email);
    if (typed.problem !== undefined) {
      if (wantsJson(req)) return res.status(400).json({ error: 'invalid_email', field: 'email', message: typed.problem });
      return res.status(400).send(
        errorPage({
          title: 'Not an e-mail address',
          message: typed.problem,
          link: { href: ACCOUNT_PATH, text: 'Back to security settings' },
        }),
      );
    }
    const user = await signedInUser(req, accounts);
    await accounts.setEmail(user.id, typed.email);
    if (wantsJson(req)) return res.json({ email: typed.email });
    res.redirect(303, `${ACCOUNT_PATH}?changed=email`);
  });

  router.post(`${ACCOUNT_PATH}/trusted-browsers/revoke`, secondFactor, async (req, res) => {
    const deviceId = req.body?.deviceId;
    if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
      if (wantsJson(req)) return res.status(400).json({ error: 'invalid_request', field: 'deviceId', message: NOT_A_DEVICE });
      return res.status(400).send(
        errorPage({
          title: 'Not a trusted browser',
          message: NOT_A_DEVICE,
          link: { href: ACCOUNT_PATH, text: 'Back to security settings' },
        }),
      );
    }
    const user = await signedInUser(req, accounts);
    const revoked = await mfa.revokeTrustedDevice(user.id, deviceId, { actor: ACTOR });
    if (wantsJson(req)) return res.json({ revoked });
    res.redirect(303, `${ACCOUNT_PATH}?revoked=${revoked ? 'one' : 'none'}`);
  });

  router.post(`${ACCOUNT_PATH}/trusted-browsers/revoke-all`, secondFactor, async (req, res) => {
    const user = await signedInUser(req, accounts);
    await mfa.revokeTrustedDevices(user.id, { actor: ACTOR });
    if (wantsJson(req)) return res.json({ revoked: true });
    res.redirect(303, `${ACCOUNT_PATH}?revoked=all`);
  });

  if (passkeys) {
    // The library's ceremony: options, then the browser's answer (JSON, from /static/passkeys.js). Both need a recent code.
    router.post(`${ACCOUNT_PASSKEYS_PATH}/options`, secondFactor, mfa.passkeyRegistrationOptionsRoute());
    router.post(`${ACCOUNT_PASSKEYS_PATH}/verify`, secondFactor, mfa.passkeyRegistrationVerifyRoute());
    // A form: its errors come back to this page as `?error=`, and "confirm it is you first" returns here too.
    router.post(`${ACCOUNT_PASSKEYS_PATH}/remove`, secondFactor, mfa.removePasskeyRoute({ errorPath: ACCOUNT_PATH }));
  }

  return router;
}

module.exports = { accountRoutes };
