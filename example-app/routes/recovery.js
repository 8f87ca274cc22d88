// Recovery codes: the page that shows a new set until the user says it is saved, its .txt download, and new sets.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson, signedInUser } = require('../lib/respond');
const { ACCOUNT_PATH, ADMIN_PATH, RECOVERY_CODES_PATH } = require('../lib/paths');
const { recoveryCodesPage, noNewCodesPage, recoveryCodesText } = require('../views/recovery-codes');
const { errorPage } = require('../views/errors');

// Long enough to copy ten codes by hand; not so long that a forgotten tab keeps them in the session store all day.
const KEEP_UNSAVED_MS = 30 * 60 * 1000;
const NOT_TICKED = 'Tick the box once the codes are saved: they will not be shown again.';

/**
 * The library hands a new set over once (`takeNewRecoveryCodes`). The app keeps it in the session until the user
 * ticks "I have saved them", so that a reload, the .txt download or a print still has the codes to work with; then
 * it is dropped. Only the keyed hashes are in the database.
 * @param {import('express').Request} req
 * @param {import('express-bandwidth-mfa').Mfa} mfa
 */
async function codesToSave(req, mfa) {
  const made = await mfa.takeNewRecoveryCodes(req);
  if (made) {
    req.session.recoveryCodesToSave = {
      codes: made,
      next: req.session.recoveryCodesFrom === ACCOUNT_PATH ? ACCOUNT_PATH : ADMIN_PATH,
      madeAt: Date.now(),
    };
    delete req.session.recoveryCodesFrom;
  }
  const kept = req.session.recoveryCodesToSave;
  if (kept && Date.now() - kept.madeAt > KEEP_UNSAVED_MS) {
    delete req.session.recoveryCodesToSave;
    return undefined;
  }
  return kept;
}

/**
 * @param {object} deps
 * @param {import('../lib/db').Accounts} deps.accounts
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {() => import('../views/html').Html | undefined} deps.banner
 */
function recoveryRoutes({ accounts, mfa, banner }) {
  const router = express.Router();
  const secondFactor = mfa.requireSecondFactor();

  router.get(RECOVERY_CODES_PATH, secondFactor, async (req, res) => {
    const kept = await codesToSave(req, mfa);
    if (wantsJson(req)) return res.json({ recoveryCodes: kept?.codes ?? null });
    if (kept) return res.send(recoveryCodesPage({ codes: kept.codes, csrfToken: csrfToken(req), banner: banner() }));
    // Nothing waiting: typically back from "confirm it is you" on the way to a new set.
    const state = await mfa.getChallengeState(req);
    res.send(noNewCodesPage({ left: state.recoveryCodesLeft, csrfToken: csrfToken(req), banner: banner() }));
  });

  router.get(`${RECOVERY_CODES_PATH}.txt`, secondFactor, async (req, res) => {
    const kept = await codesToSave(req, mfa);
    if (!kept) {
      return res.status(404).send(
        errorPage({
          title: 'Nothing to download',
          message: 'Recovery codes can be downloaded only until you confirm you saved them.',
          link: { href: ACCOUNT_PATH, text: 'Security settings' },
        }),
      );
    }
    const user = await signedInUser(req, accounts);
    res.set('Content-Disposition', 'attachment; filename="recovery-codes.txt"');
    res.type('text/plain; charset=utf-8').send(recoveryCodesText({ codes: kept.codes, username: user.username, madeAt: kept.madeAt }));
  });

  router.post(`${RECOVERY_CODES_PATH}/saved`, secondFactor, async (req, res) => {
    const kept = req.session.recoveryCodesToSave;
    if (req.body?.saved !== 'yes' && kept) {
      if (wantsJson(req)) return res.status(400).json({ error: 'not_saved', field: 'saved', message: NOT_TICKED });
      return res.status(400).send(recoveryCodesPage({ codes: kept.codes, csrfToken: csrfToken(req), error: NOT_TICKED, banner: banner() }));
    }
    delete req.session.recoveryCodesToSave;
    const redirectTo = kept?.next ?? ACCOUNT_PATH;
    if (wantsJson(req)) return res.json({ saved: true, redirectTo });
    res.redirect(303, redirectTo);
  });

  // A new set: the library asks for a recent code first (and sends browsers back to RECOVERY_CODES_PATH after it).
  router.post(
    `${ACCOUNT_PATH}/recovery-codes`,
    secondFactor,
    (req, res, next) => {
      if (!wantsJson(req)) req.session.recoveryCodesFrom = ACCOUNT_PATH;
      next();
    },
    mfa.recoveryCodesRoute(),
  );

  return router;
}

module.exports = { recoveryRoutes };
