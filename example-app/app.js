// The example app: password sign-in, then an SMS or voice code through express-bandwidth-mfa. `createExampleApp(config)` builds it.
'use strict';

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const express = require('express');
const session = require('express-session');
const mfa = require('express-bandwidth-mfa');
const { openAccounts } = require('./lib/db');
const { readUserRecords, seedUsers } = require('./lib/seed-users');
const { bandwidthFor } = require('./lib/sandbox');
const { createStorage } = require('./lib/storage');
const { securityHeaders } = require('./lib/security-headers');
const { csrfProtection } = require('./lib/csrf');
const { absoluteSessionLifetime } = require('./lib/session-lifetime');
const { loginRoutes } = require('./routes/login');
const { signupRoutes } = require('./routes/signup');
const { challengeRoutes } = require('./routes/challenge');
const { adminRoutes } = require('./routes/admin');
const { errorHandlers, storageGuard } = require('./routes/errors');
const { sandboxBanner } = require('./views/sandbox-banner');

const LOGIN_SCOPE = '2FA';
// Idle lifetime: each request moves the cookie's expiry on; SESSION_ABSOLUTE_HOURS caps the whole sign-in.
const SESSION_IDLE_HOURS = 8;

/**
 * @param {ReturnType<typeof import('./lib/config').readConfig>} config
 * @param {{ logger?: { log(m: string): void, warn(m: string): void, error(m: string): void } }} [options]
 * @returns {Promise<{ app: import('express').Express, accounts: object, emulator?: object, close(): Promise<void> }>}
 */
async function createExampleApp(config, { logger = console } = {}) {
  // Opened in order, and on a failure everything opened so far is let go, so the process can exit.
  const opened = [];
  const close = async () => {
    for (const resource of opened.splice(0).reverse()) await resource.close();
  };
  // A mistake in the users file stops the start before anything is opened.
  const records = readUserRecords(config.usersFile);
  try {
    const accounts = await openAccounts(config.databaseUrl, { logger });
    opened.push(accounts);
    await seedUsers(accounts, { records, file: config.usersFile }, logger);
    const { bandwidth, emulator } = await bandwidthFor(config.bandwidth);
    if (emulator) opened.push(emulator);
    const storage = await createStorage(config, logger);
    opened.push(storage);
    // A bad option (say MFA_MAX_ATTEMPTS=0) throws in buildApp.
    const app = buildApp({ config, logger, accounts, bandwidth, emulator, storage });
    return { app, accounts, emulator, close };
  } catch (error) {
    await close();
    throw error;
  }
}

function buildApp({ config, logger, accounts, bandwidth, emulator, storage }) {
  const secure = config.production;
  const cookie = { name: secure ? '__Host-sid' : 'sid', secure };
  const secret = sessionSecret(config, logger);

  const app = express();
  app.disable('x-powered-by');
  // Behind a TLS-terminating proxy, Express must trust it to see HTTPS; otherwise Secure cookies are never sent.
  app.set('trust proxy', config.trustProxy);
  app.use(securityHeaders(config));
  app.use('/static', express.static(path.join(__dirname, 'public'), { index: false, maxAge: '1h' }));
  app.use((_req, res, next) => {
    // Pages show per-user state: never from a shared cache or the back button after sign-out.
    res.set('Cache-Control', 'no-store');
    next();
  });
  app.use(storageGuard(storage));
  app.use(express.urlencoded({ extended: false, limit: '4kb' }), express.json({ limit: '4kb' }));
  app.use(session({
    name: cookie.name,
    store: storage.sessionStore,
    secret,
    resave: false,
    // No session until someone signs in: anonymous visits cost the store nothing (see lib/csrf.js).
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: Math.min(SESSION_IDLE_HOURS, config.sessionAbsoluteHours) * 3600 * 1000 },
  }));
  app.use(absoluteSessionLifetime(config.sessionAbsoluteHours));
  app.use(mfa.middleware({
    bandwidth,
    getUser: async (req) => {
      const userId = req.session.userId;
      const user = typeof userId === 'string' ? await accounts.findById(userId) : undefined;
      // Without a number there is nothing to send a code to: such a user is sent to enrolment by the app's routes.
      return user?.phoneNumber ? { id: user.id, phoneNumber: user.phoneNumber } : null;
    },
    store: storage.mfaStore,
    scope: LOGIN_SCOPE,
    loginPath: '/login',
    challengePath: '/2fa',
    defaultRedirect: '/admin',
    ...definedOnly(config.mfa),
    // "Trust this browser": a signed cookie that skips the sign-in code (never a step-up) for N days.
    trustedDevices: config.trustedDeviceDays > 0 ? { days: config.trustedDeviceDays } : false,
    logger,
    // An audit line per event; events carry masked numbers and never a code.
    onEvent: (event) => logger.log(`mfa ${event.type} user=${event.userId}${event.scope ? ` scope=${event.scope}` : ''}${event.reason ? ` reason=${event.reason}` : ''}`),
  }));
  app.use(csrfProtection({ secret, production: config.production }));

  const banner = () => (emulator ? sandboxBanner() : undefined);
  const demoHint = !config.usersFile;
  app.use(loginRoutes({ accounts, cookie, banner, demoHint }));
  app.use(signupRoutes({ accounts, banner }));
  app.use(challengeRoutes({ accounts, emulator, voiceAvailable: Boolean(bandwidth.voiceApplicationId), trustedDeviceDays: config.trustedDeviceDays, loginScope: LOGIN_SCOPE }));
  app.use(adminRoutes({ accounts, stepUpMaxAgeSeconds: config.stepUpMaxAgeSeconds, banner }));
  errorHandlers(app, { logger });
  return app;
}

function sessionSecret(config, logger) {
  if (config.sessionSecret) {
    if (config.sessionSecret.length < 32) logger.warn('SESSION_SECRET is shorter than 32 characters; use a long random value (e.g. `openssl rand -base64 48`).');
    return config.sessionSecret;
  }
  logger.warn('SESSION_SECRET is not set: using a random one, so every restart signs everyone out and instances cannot share sessions.');
  return randomBytes(48).toString('base64url');
}

function definedOnly(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

module.exports = { createExampleApp };
