// The example app: password sign-in, then an SMS or voice code through express-bandwidth-mfa. `createExampleApp(config)` builds it.
'use strict';

const path = require('node:path');
const { randomBytes } = require('node:crypto');
const express = require('express');
const session = require('express-session');
const mfa = require('express-bandwidth-mfa');
const { loadUsers } = require('./lib/users');
const { bandwidthFor } = require('./lib/sandbox');
const { createStorage } = require('./lib/storage');
const { securityHeaders } = require('./lib/security-headers');
const { csrfProtection } = require('./lib/csrf');
const { loginRoutes } = require('./routes/login');
const { challengeRoutes } = require('./routes/challenge');
const { adminRoutes } = require('./routes/admin');
const { errorHandlers, storageGuard } = require('./routes/errors');
const { sandboxBanner } = require('./views/sandbox-banner');

const LOGIN_SCOPE = '2FA';
const SESSION_HOURS = 8;

/**
 * @param {ReturnType<typeof import('./lib/config').readConfig>} config
 * @param {{ logger?: { log(m: string): void, warn(m: string): void, error(m: string): void } }} [options]
 * @returns {Promise<{ app: import('express').Express, emulator?: object, close(): Promise<void> }>}
 */
async function createExampleApp(config, { logger = console } = {}) {
  const users = await loadUsers(config.usersFile);
  const { bandwidth, emulator } = await bandwidthFor(config.bandwidth);
  const storage = await createStorage(config, logger).catch(async (error) => {
    await emulator?.close();
    throw error;
  });
  const close = async () => {
    await storage.close();
    await emulator?.close();
  };
  try {
    return { app: buildApp({ config, logger, users, bandwidth, emulator, storage }), emulator, close };
  } catch (error) {
    // A bad option (say MFA_MAX_ATTEMPTS=0) throws here: let go of Redis and the emulator so the process can exit.
    await close();
    throw error;
  }
}

function buildApp({ config, logger, users, bandwidth, emulator, storage }) {
  const secure = config.production;
  const cookie = { name: secure ? '__Host-sid' : 'sid', secure };

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
    secret: sessionSecret(config, logger),
    resave: false,
    saveUninitialized: false,
    cookie: { httpOnly: true, sameSite: 'lax', secure, path: '/', maxAge: SESSION_HOURS * 3600 * 1000 },
  }));
  app.use(mfa.middleware({
    bandwidth,
    getUser: (req) => {
      const user = users.findById(req.session.userId);
      return user ? { id: user.id, phoneNumber: user.phone } : null;
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
  app.use(csrfProtection());

  const banner = () => (emulator ? sandboxBanner() : undefined);
  app.use(loginRoutes({ users, cookie, banner }));
  app.use(challengeRoutes({ users, emulator, voiceAvailable: Boolean(bandwidth.voiceApplicationId), trustedDeviceDays: config.trustedDeviceDays, loginScope: LOGIN_SCOPE }));
  app.use(adminRoutes({ users, stepUpMaxAgeSeconds: config.stepUpMaxAgeSeconds, banner }));
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
