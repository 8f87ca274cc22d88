// The example app: password sign-in, then an SMS or voice code through express-bandwidth-mfa. `createExampleApp(config)` builds it.
'use strict';

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const express = require('express');
const session = require('express-session');
const { createMfa } = require('express-bandwidth-mfa');
const { openAccounts } = require('./lib/db');
const { readUserRecords, seedUsers } = require('./lib/seed-users');
const { bandwidthFor } = require('./lib/sandbox');
const { createStorage } = require('./lib/storage');
const { securityHeaders } = require('./lib/security-headers');
const { csrfProtection } = require('./lib/csrf');
const { absoluteSessionLifetime } = require('./lib/session-lifetime');
const { mfaOptions, LOGIN_SCOPE } = require('./lib/mfa-options');
const { recoveryCodeSecret } = require('./lib/recovery-code-secret');
const { loginRoutes } = require('./routes/login');
const { signupRoutes } = require('./routes/signup');
const { challengeRoutes } = require('./routes/challenge');
const { adminRoutes } = require('./routes/admin');
const { enrolRoutes } = require('./routes/enrol');
const { recoveryRoutes } = require('./routes/recovery');
const { accountRoutes } = require('./routes/account');
const { outboxRoutes } = require('./routes/outbox');
const { createNotifications } = require('./lib/notifications');
const { errorHandlers, storageGuard } = require('./routes/errors');
const { sandboxBanner } = require('./views/sandbox-banner');
const { trafficLimits } = require('./lib/rate-limits');
const { trafficWarnings } = require('./lib/traffic-config');
const { prometheusMetrics, METRICS_PATH } = require('./lib/metrics');
const { webAuthnBrowserBundle } = require('./lib/webauthn-bundle');
const { CHALLENGE_PATH, ENROL_PATH } = require('./lib/paths');

// The routes that send or check a code: they take turns (the library's `workConcurrency`).
const TURN_PATHS = [`${CHALLENGE_PATH}/send`, `${CHALLENGE_PATH}/verify`, `${ENROL_PATH}/send`, `${ENROL_PATH}/verify`];

// Idle lifetime: each request moves the cookie's expiry on; SESSION_ABSOLUTE_HOURS caps the whole sign-in.
const SESSION_IDLE_HOURS = 8;

/** @typedef {{ log(m: string): void, warn(m: string): void, error(m: string): void }} Logger */

/**
 * @param {import('./lib/config').Config} config
 * @param {{ logger?: Logger, passwordCost?: import('./lib/passwords').ScryptCost }} [options]
 *   `passwordCost`: cheaper scrypt settings for tests (lib/passwords.js); server.js never passes it
 * @returns {Promise<{ app: import('express').Express, accounts: import('./lib/db').Accounts, mfa: import('express-bandwidth-mfa').Mfa,
 *   emulator?: import('express-bandwidth-mfa/testing').BandwidthEmulator, close(): Promise<void> }>}
 */
async function createExampleApp(config, { logger = console, passwordCost } = {}) {
  // Opened in order, and on a failure everything opened so far is let go, so the process can exit.
  /** @type {{ close(): Promise<void> }[]} */
  const opened = [];
  const close = async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
  };
  // A mistake in the users file stops the start before anything is opened.
  const records = readUserRecords(config.usersFile);
  const secrets = { session: sessionSecret(config, logger), recoveryCodes: recoveryCodeSecret(config, logger) };
  try {
    const accounts = await openAccounts(config.databaseUrl, { logger, passwordCost });
    opened.push(accounts);
    await seedUsers(accounts, { records, file: config.usersFile }, logger);
    const { bandwidth, emulator } = await bandwidthFor(config.bandwidth);
    if (emulator) opened.push(emulator);
    const storage = await createStorage(config, logger);
    opened.push(storage);
    const metrics = prometheusMetrics(config);
    opened.push(metrics);
    for (const line of trafficWarnings(config)) logger.warn(line);
    const notices = createNotifications({ accounts, mail: config.mail, sandbox: Boolean(emulator), logger });
    opened.push({ close: async () => notices.close() });
    // A bad option (say MFA_MAX_ATTEMPTS=0) throws here, before anything is served.
    const mfa = createMfa(
      mfaOptions({
        config,
        accounts,
        bandwidth,
        store: storage.mfaStore,
        recoveryCodeSecret: secrets.recoveryCodes,
        logger,
        meterProvider: metrics.meterProvider,
        notify: notices.notify,
      }),
    );
    const app = buildApp({
      config,
      logger,
      accounts,
      mfa,
      voiceAvailable: Boolean(bandwidth.voiceApplicationId),
      emulator,
      storage,
      metrics,
      secret: secrets.session,
      outbox: notices.outbox,
    });
    return { app, accounts, mfa, emulator, close };
  } catch (error) {
    await close();
    throw error;
  }
}

/**
 * @param {object} parts
 * @param {import('./lib/config').Config} parts.config
 * @param {Logger} parts.logger
 * @param {import('./lib/db').Accounts} parts.accounts
 * @param {import('express-bandwidth-mfa').Mfa} parts.mfa
 * @param {boolean} parts.voiceAvailable  the Bandwidth settings have a voice application
 * @param {import('express-bandwidth-mfa/testing').BandwidthEmulator} [parts.emulator]  sandbox mode
 * @param {import('./lib/storage').Storage} parts.storage
 * @param {ReturnType<typeof prometheusMetrics>} parts.metrics
 * @param {string} parts.secret  the session secret
 * @param {import('./lib/notifications').OutboxMail[]} [parts.outbox]  sandbox mode without SMTP_URL
 */
function buildApp({ config, logger, accounts, mfa, voiceAvailable, emulator, storage, metrics, secret, outbox }) {
  const secure = config.production;
  const cookie = { name: secure ? '__Host-sid' : 'sid', secure };

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy, Express must trust it to see HTTPS; otherwise Secure cookies are never sent.
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(config));
  // Before sessions and the storage guard: operators can read the numbers while Redis is down.
  app.get(METRICS_PATH, metrics.endpoint);
  app.use('/static', express.static(path.join(__dirname, 'public'), { index: false, maxAge: '1h' }));
  // The passkey pages' browser library, from the installed package: never from a CDN (the CSP allows 'self' only).
  app.get('/static/vendor/simplewebauthn-browser.js', (_req, res, next) => {
    res.set('Cache-Control', 'public, max-age=3600');
    res.sendFile(webAuthnBrowserBundle(), (error) => error && next(error));
  });
  app.use((_req, res, next) => {
    // Pages show per-user state: never from a shared cache or the back button after sign-out.
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(storageGuard(storage));
  // Before the body parsers and the session: in a login storm, sends and verifies wait their turn here, unread.
  app.use(TURN_PATHS, mfa.takeTurns());
  app.use(express.urlencoded({ extended: false, limit: '4kb' }), express.json({ limit: '4kb' }));
  app.use(
    session({
      name: cookie.name,
      store: storage.sessionStore,
      secret,
      resave: false,
      // No session until someone signs in: anonymous visits cost the store nothing (see lib/csrf.js).
      saveUninitialized: false,
      cookie: {
        httpOnly: true,
        sameSite: 'lax',
        secure,
        path: '/',
        maxAge: Math.min(SESSION_IDLE_HOURS, config.sessionAbsoluteHours) * 3600 * 1000,
      },
    }),
  );
  app.use(absoluteSessionLifetime(config.sessionAbsoluteHours));
  app.use(csrfProtection({ secret, production: config.production }));
  app.use(trafficLimits({ config, mfa, redis: storage.redis, logger }));

  const banner = () => (emulator ? sandboxBanner() : undefined);
  const demoHint = !config.usersFile;
  // Every route gets the one instance (its guards, routes and getChallengeState): no mfa.middleware() needed.
  const pages = { accounts, mfa, emulator, banner, voiceAvailable, loginScope: LOGIN_SCOPE, passkeys: Boolean(config.passkeys) };
  app.use(loginRoutes({ accounts, cookie, banner, demoHint }));
  app.use(signupRoutes({ accounts, banner }));
  app.use(challengeRoutes(pages));
  app.use(enrolRoutes({ ...pages, defaultCountry: config.defaultCountry, sensitiveMaxAgeSeconds: config.sensitiveMaxAgeSeconds }));
  app.use(recoveryRoutes(pages));
  app.use(accountRoutes({ ...pages, sensitiveMaxAgeSeconds: config.sensitiveMaxAgeSeconds }));
  app.use(adminRoutes({ accounts, mfa, stepUpMaxAgeSeconds: config.stepUpMaxAgeSeconds, banner, passkeys: Boolean(config.passkeys) }));
  // The sandbox's stand-in for e-mail: only without SMTP_URL, and only in sandbox mode.
  if (emulator && outbox) app.use(outboxRoutes({ accounts, outbox, banner }));
  errorHandlers(app, { logger, mfa });
  return app;
}

/**
 * @param {import('./lib/config').Config} config
 * @param {Logger} logger
 */
function sessionSecret(config, logger) {
  if (config.sessionSecret) {
    if (config.sessionSecret.length < 32)
      logger.warn('SESSION_SECRET is shorter than 32 characters; use a long random value (e.g. `openssl rand -base64 48`).');
    return config.sessionSecret;
  }
  logger.warn('SESSION_SECRET is not set: using a random one, so every restart signs everyone out and instances cannot share sessions.');
  return randomBytes(48).toString('base64url');
}

module.exports = { createExampleApp };
