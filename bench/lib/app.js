// The bench app: one Express app, one session store, protected routes that differ only by what is measured.
const express = require('express');
const session = require('express-session');
const library = require('express-bandwidth-mfa');
const { standInRoutes } = require('./stand-in');

/** @typedef {import('./types').UserSession} UserSession */

/** @type {import('express').RequestHandler} */
const ok = (_req, res) => void res.json({ ok: true });

/**
 * Bench user n's number: a valid US number (exchange 200–999 of area code 202) for every n the login route takes.
 * @param {number} n
 */
function phoneNumberOf(n) {
  return `+1202${String(2_000_000 + (n % 8_000_000)).padStart(7, '0')}`;
}

/**
 * The send budgets of a large deployment: every budget step still runs on each send (the cost is measured), but
 * thousands of bench users from one address to one area code are not refused as pumping would be.
 */
const BENCH_SEND_BUDGETS = {
  country: { unverified: 1_000_000 },
  prefix: { unverified: 1_000_000 },
  address: { unverified: 1_000_000 },
  ceiling: { maxSends: 10_000_000 },
};

/**
 * The Bandwidth client's options against the emulator, whose account and URLs it announces when it starts.
 * OAuth2, the method Bandwidth keeps after API users go: the token is fetched once and reused.
 * @param {{ accountId: string, tokenUrl: string, baseUrl: string }} emulator
 * @returns {import('express-bandwidth-mfa').BandwidthOptions}
 */
function emulatorBandwidth({ accountId, tokenUrl, baseUrl }) {
  return {
    accountId,
    oauth: { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl },
    messagingApplicationId: 'messaging-app-id',
    voiceApplicationId: 'voice-app-id',
    from: '+19195550100',
    baseUrl,
  };
}

/**
 * `sessionStore` for express-session, `mfaStore`, `bandwidth` and other `options` for `middleware()`. Routes: /a, /b, /c, /n, /r
 * (see the report's labels), /flow/{login,2fa/send,2fa/verify,2fa/passkeys/...}. `extra(app)` may add routes before the
 * error handler. `mfa` is the library (another checkout's build, to compare). Bench user n is `bench-user-n` with number `phoneNumberOf(n)`.
 * @param {object} app
 * @param {import('express-session').Store} app.sessionStore
 * @param {import('express-bandwidth-mfa').MfaStore} app.mfaStore
 * @param {import('express-bandwidth-mfa').MfaOptions['bandwidth']} app.bandwidth
 * @param {Partial<import('express-bandwidth-mfa').MfaOptions>} [app.options]
 * @param {(app: import('express').Express) => void} [app.extra]
 * @param {typeof library} [app.mfa]
 */
function buildApp({ sessionStore, mfaStore, bandwidth, options, extra, mfa = library }) {
  const sessions = session({
    store: sessionStore,
    secret: 'bench-secret-not-used-anywhere-else',
    resave: false,
    saveUninitialized: false,
    name: 'sid',
  });
  const secondFactor = mfa.middleware({
    bandwidth,
    getUser: (req) => /** @type {UserSession} */ (req.session).user ?? null,
    store: mfaStore,
    sendBudgets: BENCH_SEND_BUDGETS,
    ...options,
  });

  // The same session middleware instance and the same final handler everywhere; only the measured step differs.
  const onlySessions = express.Router();
  onlySessions.use(sessions);
  onlySessions.get('/', ok);

  const withMiddleware = express.Router();
  withMiddleware.use(sessions, secondFactor);
  withMiddleware.get('/', ok);

  const withGuard = express.Router();
  withGuard.use(sessions, secondFactor);
  withGuard.get('/', mfa.requireSecondFactor({ maxAgeSeconds: 900 }), ok);

  // (c) with `phishingResistant`: the same guard with one more comparison, the verification's method.
  const withStrictGuard = express.Router();
  withStrictGuard.use(sessions, secondFactor);
  withStrictGuard.get('/', mfa.requireSecondFactor({ maxAgeSeconds: 900, phishingResistant: true }), ok);

  // Reference for (c): the cheapest handler Express can run in the guard's place, so (c) − (n) is the guard itself.
  const withNoop = express.Router();
  withNoop.use(sessions, secondFactor);
  withNoop.get('/', (_req, _res, next) => next(), ok);

  // The real flow, for the verified cookie and the send/verify figures.
  const flow = express.Router();
  // BENCH_STAND_IN=1: the storm's reference, routes with the same I/O and none of the library's flow (bench/lib/stand-in.js).
  const standIn = process.env.BENCH_STAND_IN
    ? standInRoutes(mfa, /** @type {import('express-bandwidth-mfa').BandwidthOptions} */ (bandwidth))
    : undefined;
  // As the README mounts it, before the body parser and the session (an older build compared side by side has none;
  // BENCH_TURNS_IN_ROUTE=1 leaves it out, for the storm that takes the turns in the routes only, as before).
  if (mfa.takeTurns && !process.env.BENCH_TURNS_IN_ROUTE && !standIn) flow.use(['/2fa/send', '/2fa/verify'], secondFactor, mfa.takeTurns());
  flow.use(express.json(), sessions, secondFactor);
  flow.post('/login', (req, res, next) => {
    const n = req.body?.user;
    if (!Number.isInteger(n) || n < 0 || n > 9_999_999) return void res.status(400).json({ error: 'bad_user' });
    req.session.regenerate((error) => {
      if (error) return next(error);
      /** @type {UserSession} */ (req.session).user = { id: `bench-user-${n}`, phoneNumber: phoneNumberOf(n) };
      res.json({ ok: true });
    });
  });
  flow.post('/2fa/send', standIn ? standIn.send : mfa.sendCodeRoute());
  flow.post('/2fa/verify', standIn ? standIn.verify : mfa.verifyCodeRoute());
  // With the `passkeys` option: binding a passkey and signing in with it, for a passkey-verified cookie.
  flow.post('/2fa/passkeys/register/options', mfa.passkeyRegistrationOptionsRoute());
  flow.post('/2fa/passkeys/register/verify', mfa.passkeyRegistrationVerifyRoute());
  flow.post('/2fa/passkeys/auth/options', mfa.passkeyAuthenticationOptionsRoute());
  flow.post('/2fa/passkeys/auth/verify', mfa.passkeyAuthenticationVerifyRoute());

  const app = express();
  app.disable('x-powered-by');
  app.use('/a', onlySessions);
  app.use('/b', withMiddleware);
  app.use('/c', withGuard);
  app.use('/n', withNoop);
  app.use('/r', withStrictGuard);
  app.use('/flow', flow);
  if (extra) extra(app);
  app.use(mfa.errorHandler());
  return app;
}

module.exports = { buildApp, phoneNumberOf, emulatorBandwidth };
