// The library's `notify` hook: each notice goes into the account's history, then to the user's e-mail (SMTP) or the sandbox outbox.
'use strict';

const { noticeFor } = require('./notices');

/** Mails kept for the sandbox outbox page; older ones drop off. */
const OUTBOX_SIZE = 50;

/** @typedef {{ userId: string, to: string, subject: string, text: string }} Mail  one notice for one user's address */
/** @typedef {Mail & { from: string, at: Date }} OutboxMail  a mail the sandbox outbox shows instead of sending it */

/**
 * @param {object} deps
 * @param {import('./db').Accounts} deps.accounts
 * @param {{ smtpUrl?: string, mailFrom: string }} deps.mail  readConfig().mail
 * @param {boolean} deps.sandbox  no SMTP_URL: mails go to the in-memory outbox shown at /sandbox/outbox
 * @param {{ warn(m: string): void }} deps.logger
 * @param {boolean} [deps.warnWithoutMail]  say at start that notices are not e-mailed (the app does; the operator command not)
 * @returns {{ notify(event: import('express-bandwidth-mfa').MfaEvent): Promise<void>, outbox?: OutboxMail[], settled(): Promise<void>, close(): void }}
 */
function createNotifications({ accounts, mail, sandbox, logger, warnWithoutMail = true }) {
  // Loaded only with SMTP_URL: the sandbox and a mail-less app never load nodemailer.
  const transport = mail.smtpUrl ? require('nodemailer').createTransport(mail.smtpUrl) : undefined;
  /** @type {OutboxMail[] | undefined} */
  const outbox = !transport && sandbox ? [] : undefined;
  if (!transport && !sandbox && warnWithoutMail)
    logger.warn(
      'SMTP_URL is not set: security notices (number changed, recovery code used...) are kept in the account history but not e-mailed.',
    );

  /** @param {Mail} message */
  async function deliver(message) {
    if (transport) {
      await transport.sendMail({ from: mail.mailFrom, to: message.to, subject: message.subject, text: message.text });
    } else if (outbox) {
      outbox.unshift({ ...message, from: mail.mailFrom, at: new Date() });
      outbox.splice(OUTBOX_SIZE);
    }
  }

  /** @param {import('express-bandwidth-mfa').MfaEvent} event */
  async function handle(event) {
    await accounts.recordSecurityEvent(event);
    const [user, to] = await Promise.all([accounts.findById(event.userId), accounts.emailOf(event.userId)]);
    if (!user || !to) return;
    await deliver({ userId: user.id, to, ...noticeFor(event, user.username) });
  }

  /** @type {Set<Promise<void>>} */
  const inFlight = new Set();
  return {
    outbox,
    // The library does not await this and logs a rejection once a minute: a mail server down never fails a sign-in.
    notify(event) {
      const done = handle(event);
      inFlight.add(done);
      done.then(
        () => inFlight.delete(done),
        () => inFlight.delete(done),
      );
      return done;
    },
    /** Resolves once every notice handed over so far is stored and sent (or failed): a short-lived process waits for it. */
    async settled() {
      await Promise.allSettled([...inFlight]);
    },
    close() {
      transport?.close();
    },
  };
}

module.exports = { createNotifications };
