// The app's refusals: storage down (503), a form without its CSRF token (403), not found (404), and the rest (500).
'use strict';

const { CsrfError } = require('../lib/csrf');
const { wantsJson } = require('../lib/respond');
const { errorPage } = require('../views/errors');
const { describeError, stackFrames } = require('../lib/safe-log');

const RETRY_AFTER_SECONDS = 5;

/**
 * While the session store is down nothing can be checked, so nothing is served: a quick 503.
 * @param {Pick<import('../lib/storage').Storage, 'available'>} storage
 */
function storageGuard(storage) {
  /**
   * @param {import('express').Request} req
   * @param {import('express').Response} res
   * @param {import('express').NextFunction} next
   */
  return function storageGuard(req, res, next) {
    if (storage.available()) return next();
    res.status(503).set('Retry-After', String(RETRY_AFTER_SECONDS));
    if (wantsJson(req))
      return res.json({
        error: 'service_unavailable',
        message: 'The service is unavailable right now. Try again in a moment.',
        retryAfterSeconds: RETRY_AFTER_SECONDS,
      });
    res.send(
      errorPage({
        title: 'Unavailable',
        message: 'The service is unavailable right now. Try again in a moment.',
        link: { href: '/login', text: 'Try again' },
      }),
    );
  };
}

/**
 * @param {import('express').Express} app
 * @param {{ logger: { error(m: string): void }, mfa: import('express-bandwidth-mfa').Mfa }} deps
 */
function errorHandlers(app, { logger, mfa }) {
  app.use((/** @type {import('express').Request} */ req, /** @type {import('express').Response} */ res) => {
    if (wantsJson(req)) return res.status(404).json({ error: 'not_found', message: 'Nothing here.' });
    res.status(404).send(errorPage({ title: 'Not found', message: 'There is nothing at this address.' }));
  });

  app.use(
    /**
     * @param {unknown} error
     * @param {import('express').Request} req
     * @param {import('express').Response} res
     * @param {import('express').NextFunction} next
     */
    function csrfRefusal(error, req, res, next) {
      if (!(error instanceof CsrfError)) return next(error);
      if (wantsJson(req)) return res.status(403).json({ error: 'csrf_failed', message: 'Reload the page and try again.' });
      res.status(403).send(
        errorPage({
          title: 'Form expired',
          message: 'This form has expired or did not come from this site. Reload the page and try again.',
          link: { href: '/login', text: 'Back to sign in' },
        }),
      );
    },
  );

  // The library's codes, body-parser refusals, and a session store that failed mid-request (503, never a pass).
  app.use(mfa.errorHandler());

  // Four parameters, or Express would not take it for an error handler.
  app.use(
    /**
     * @param {unknown} error
     * @param {import('express').Request} req
     * @param {import('express').Response} res
     * @param {import('express').NextFunction} _next
     */
    function lastResort(error, req, res, _next) {
      logger.error(`Unexpected ${describeError(error, req)}.${stackFrames(error)}`);
      // Typically express-session failing to save after the page went out. Express's own handler would print the
      // error (and a Redis error's message holds the session id and contents): finish the answer here instead.
      if (res.headersSent) {
        if (!res.writableEnded) res.end();
        return;
      }
      if (wantsJson(req)) return res.status(500).json({ error: 'internal_error', message: 'Something went wrong.' });
      res.status(500).send(errorPage({ title: 'Something went wrong', message: 'Something went wrong on our side. Try again.' }));
    },
  );
}

module.exports = { storageGuard, errorHandlers };
