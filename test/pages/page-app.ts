// The README quick-start as a test app: module-level middleware, the built-in page at /2fa, a tiny password step.
import express, { type Express, type Request } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import type Redis from 'ioredis';
import * as mfa from '../../src';
import type { ChallengePageOptions, MfaOptions } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { USERS, bandwidthOptionsFor } from '../helpers/create-app';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { deleteUnder } from '../helpers/store-keys';

export interface PageAppOptions {
  redis: Redis;
  prefix: string;
  emulator: BandwidthEmulator;
  mfa?: Partial<MfaOptions>;
  page?: ChallengePageOptions;
  /** Sends `Content-Security-Policy: default-src 'self'` on every answer, as a strict app would. */
  csp?: boolean;
  /** Mounts the instance's `challengePage()` instead of the module-level one. */
  instance?: boolean;
  logs?: string[];
  /** The express module to build with; default Express 5 (one test passes Express 4). */
  express?: typeof express;
}

/** The CSRF token the tests' hook hands the page (a fixed value: the check itself is the app's business). */
export const CSRF_TOKEN = 'csrf-token-of-the-page-tests';

export function createPageApp(options: PageAppOptions): Express {
  const framework = options.express ?? express;
  const app = framework();
  if (options.csp) app.use((_req, res, next) => void (res.set('Content-Security-Policy', "default-src 'self'"), next()));
  app.use(framework.urlencoded({ extended: false }));
  app.use(framework.json());
  app.use(
    session({
      store: new RedisStore({ client: options.redis, prefix: `${options.prefix}sess:` }),
      secret: 'test-secret-of-the-page-app',
      resave: false,
      saveUninitialized: false,
      name: 'sid',
    }),
  );
  const logs = options.logs;
  const instance = mfa.createMfa({
    bandwidth: bandwidthOptionsFor(options.emulator),
    getUser: (req: Request) => {
      const name = (req.session as { username?: string }).username;
      return name ? (USERS[name] ?? null) : null;
    },
    store: mfa.redisStore(options.redis, { prefix: `${options.prefix}mfa:` }),
    logger: logs ? { warn: (m) => logs.push(m), error: (m) => logs.push(m) } : { warn: () => undefined, error: () => undefined },
    ...options.mfa,
  });
  app.locals.mfa = instance;
  app.use(instance.middleware());

  // The app's password step, reduced to naming the user; a form for the browser, JSON for supertest.
  app.get(
    '/login',
    (_req, res) =>
      void res.type('html').send(`<!doctype html><html lang="en"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sign in</title></head><body><main>
<form method="post" action="/login"><label for="username">Username</label><input id="username" name="username" autocomplete="username">
<button type="submit">Sign in</button></form></main></body></html>`),
  );
  app.post('/login', (req, res, next) => {
    const username = (req.body as { username?: unknown } | undefined)?.username;
    if (typeof username !== 'string' || !USERS[username]) return void res.status(401).json({ error: 'bad_login' });
    req.session.regenerate((error) => {
      if (error) return next(error);
      (req.session as { username?: string }).username = username;
      if (req.is('application/json')) res.json({ ok: true });
      else res.redirect(303, '/admin');
    });
  });

  // Browsers ask for it; a 404 would show up among the console errors the browser test watches.
  app.get('/favicon.ico', (_req, res) => void res.status(204).end());
  app.get(
    '/admin',
    mfa.requireSecondFactor(),
    (_req, res) =>
      void res.type('html').send('<!doctype html><html lang="en"><head><title>Admin</title></head><body><h1>Admin</h1></body></html>'),
  );
  app.post(
    '/admin/transfer',
    mfa.requireSecondFactor(),
    mfa.requireSecondFactor({ scope: 'transfer', maxAgeSeconds: 300 }),
    (_req, res) => void res.json({ transferred: true }),
  );
  app.get(
    '/admin/keys',
    mfa.requireSecondFactor({ phishingResistant: true }),
    (_req, res) => void res.type('html').send('<!doctype html><title>Keys</title>'),
  );
  app.get('/2fa', options.instance ? instance.challengePage(options.page) : mfa.challengePage(options.page));
  app.post('/2fa/send', mfa.sendCodeRoute());
  app.post('/2fa/verify', mfa.verifyCodeRoute());
  app.post('/2fa/passkeys/auth/options', mfa.passkeyAuthenticationOptionsRoute());
  app.post('/2fa/passkeys/auth/verify', mfa.passkeyAuthenticationVerifyRoute());
  // Its errors come back to the page's recovery form, as the page's `recoveryPath` option asks.
  app.post('/2fa/recovery', mfa.recoveryRoute({ errorPath: '/2fa?form=recovery' }));
  app.post('/logout', (req, res, next) => req.session.destroy((error) => (error ? next(error) : res.redirect(303, '/login'))));
  app.use(mfa.errorHandler());
  return app;
}

export function mfaOf(app: Express): mfa.Mfa {
  return app.locals.mfa as mfa.Mfa;
}

/** A Redis client and an emulator per file, a fresh key prefix per test, everything deleted after. */
export function usePageBed(label: string) {
  const bed = {} as { redis: Redis; emulator: BandwidthEmulator; prefix: string; logs: string[] };
  const prefixes: string[] = [];
  beforeAll(async () => {
    bed.redis = createRedis();
    bed.emulator = await startBandwidthEmulator();
  });
  afterAll(async () => {
    await bed.emulator?.close();
    if (bed.redis) for (const prefix of prefixes) await deleteUnder(bed.redis, prefix);
    if (bed.redis) await closeClient(bed.redis);
  });
  beforeEach(() => {
    bed.emulator.reset();
    bed.prefix = uniquePrefix(label);
    bed.logs = [];
    prefixes.push(bed.prefix);
  });
  afterEach(async () => {
    await deleteUnder(bed.redis, bed.prefix);
  });
  return {
    get redis() {
      return bed.redis;
    },
    get emulator() {
      return bed.emulator;
    },
    get logs() {
      return bed.logs;
    },
    /** This test's key prefix in Redis. */
    get prefix() {
      return bed.prefix;
    },
    app(options: Omit<PageAppOptions, 'redis' | 'prefix' | 'emulator'> = {}): Express {
      return createPageApp({ redis: bed.redis, prefix: bed.prefix, emulator: bed.emulator, logs: bed.logs, ...options });
    },
  };
}
