// GET /sandbox/outbox: in sandbox mode without SMTP_URL, the security notices that would have been e-mailed to the signed-in user.
'use strict';

const express = require('express');
const { csrfToken } = require('../lib/csrf');
const { wantsJson, currentUser } = require('../lib/respond');
const { LOGIN_PATH } = require('../lib/paths');
const { outboxPage } = require('../views/outbox');

/**
 * The page lists this user's mail only: in the sandbox several people may share one app.
 * @param {object} deps
 * @param {import('../lib/db').Accounts} deps.accounts
 * @param {import('../lib/notifications').OutboxMail[]} deps.outbox  newest first
 * @param {() => import('../views/html').Html | undefined} deps.banner
 */
function outboxRoutes({ accounts, outbox, banner }) {
  const router = express.Router();
  router.get('/sandbox/outbox', async (req, res) => {
    const user = await currentUser(req, accounts);
    if (!user) return wantsJson(req) ? res.status(401).json({ error: 'authentication_required' }) : res.redirect(302, LOGIN_PATH);
    const mails = outbox.filter((mail) => mail.userId === user.id);
    if (wantsJson(req)) return res.json({ mails: mails.map(({ from, to, subject, text, at }) => ({ from, to, subject, text, at })) });
    res.send(outboxPage({ mails, csrfToken: csrfToken(req), banner: banner() }));
  });
  return router;
}

module.exports = { outboxRoutes };
