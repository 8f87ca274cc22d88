// The module-level shape (`app.use(mfa.middleware(options))`, then `mfa.sendCodeRoute()`...): the instance's handlers, finding it on the request.
import express, { type Express, type Request } from 'express';
import session from 'express-session';
import request from 'supertest';
import * as mfa from '../../src';
import type { MfaOptions } from '../../src';
import { bandwidthOptionsFor, sessionCookie, USERS } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('module-shape');

const OPERATOR_TOOLS = [
  'unlockUser',
  'resetSecondFactor',
  'generateRecoveryCodes',
  'listTrustedDevices',
  'revokeTrustedDevices',
  'revokeTrustedDevice',
  'listSendBudgets',
  'resetSendBudget',
  'allowSendBudget',
  'disallowSendBudget',
  'listSendBudgetAllowList',
];

function options(suffix: string, scope: string): MfaOptions {
  return {
    bandwidth: bandwidthOptionsFor(bed.emulator),
    getUser: (req: Request) => USERS[(req.session as { username?: string }).username ?? ''] ?? null,
    store: mfa.redisStore(bed.redis, { prefix: `${bed.prefix}${suffix}:` }),
    scope,
    logger: { warn: (m) => void bed.logs.push(m), error: (m) => void bed.logs.push(m) },
  };
}

/** The quick-start's shape, every name from the module: each module-level handler is mounted once, under both configurations. */
function moduleShapeApp(): Express {
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'module-shape-test-secret', resave: false, saveUninitialized: false, name: 'sid' }));
  app.post('/login', (req, res) => {
    (req.session as { username?: string }).username = 'alice';
    res.json({ ok: true });
  });
  app.use('/one', mfa.middleware(options('one', 'ONE')));
  app.use('/two', mfa.middleware(options('two', 'TWO')));
  const guard = mfa.requireSecondFactor();
  const sendRoute = mfa.sendCodeRoute();
  const verifyRoute = mfa.verifyCodeRoute();
  const limit = mfa.sendRateLimit({ limit: 5 });
  for (const base of ['/one', '/two']) {
    app.get(`${base}/admin`, guard, (_req, res) => void res.json({ admin: base }));
    app.post(`${base}/2fa/send`, limit, sendRoute);
    app.post(`${base}/2fa/verify`, verifyRoute);
    app.get(`${base}/2fa/state`, async (req, res) => void res.json(await mfa.getChallengeState(req)));
    app.get(`${base}/2fa/error-text`, (req, res) => void res.json({ text: mfa.errorMessage(req) ?? null }));
  }
  app.use(mfa.errorHandler());
  return app;
}

test('middleware(options), then the guard, the routes, the limiter and the page helpers work as on an instance', async () => {
  const app = moduleShapeApp();
  const at = (path: string) => `/one${path}`;
  const signedIn = await login(app);
  expect((await request(app).get(at('/admin')).set(JSON_HEADERS).set('Cookie', signedIn)).body).toMatchObject({
    error: 'second_factor_required',
    scope: 'ONE',
  });
  expect((await request(app).post(at('/2fa/send')).set(JSON_HEADERS).set('Cookie', signedIn).send({ channel: 'sms' })).status).toBe(200);
  expect((await request(app).get(at('/2fa/state')).set(JSON_HEADERS).set('Cookie', signedIn)).body).toMatchObject({
    scope: 'ONE',
    pending: { channel: 'sms' },
  });
  const verified = await request(app)
    .post(at('/2fa/verify'))
    .set(JSON_HEADERS)
    .set('Cookie', signedIn)
    .send({ code: codeFor(bed.emulator) });
  expect(verified.status).toBe(200);
  const cookie = sessionCookie(verified.headers);
  expect((await request(app).get(at('/admin')).set(JSON_HEADERS).set('Cookie', cookie)).body).toEqual({ admin: '/one' });
  expect(
    (
      await request(app)
        .get(`${at('/2fa/error-text')}?error=locked_out&wait=120`)
        .set(JSON_HEADERS)
    ).body.text,
  ).toMatch(/2 minutes/);
});

test("one module-level handler mounted under two configurations keeps to each one's scope and store", async () => {
  const app = moduleShapeApp();
  const cookie = await login(app);
  expect((await request(app).get('/two/admin').set(JSON_HEADERS).set('Cookie', cookie)).body).toMatchObject({ scope: 'TWO' });
  expect((await request(app).get('/one/admin').set(JSON_HEADERS).set('Cookie', cookie)).body).toMatchObject({ scope: 'ONE' });
  expect((await request(app).post('/two/2fa/send').set(JSON_HEADERS).set('Cookie', cookie).send({})).status).toBe(200);
  // The first configuration's store never saw the second one's cooldown: its send goes out too.
  expect((await request(app).post('/one/2fa/send').set(JSON_HEADERS).set('Cookie', cookie).send({})).status).toBe(200);
  expect(await bed.redis.keys(`${bed.prefix}one:*`)).not.toHaveLength(0);
  expect(await bed.redis.keys(`${bed.prefix}two:*`)).not.toHaveLength(0);
});

test("the module-level shape is the instance's handlers: every one of them, by the same name", () => {
  const instance = mfa.createMfa(options('names', 'NAMES'));
  const handlers = Object.keys(instance).filter((name) => name !== 'middleware' && !OPERATOR_TOOLS.includes(name));
  expect(handlers.length).toBeGreaterThan(15);
  for (const name of handlers) expect([name, typeof (mfa as Record<string, unknown>)[name]]).toEqual([name, 'function']);
  // The operator tools act on one configuration without a request: only an instance has them.
  for (const name of OPERATOR_TOOLS) {
    expect(typeof (instance as unknown as Record<string, unknown>)[name]).toBe('function');
    expect(Object.keys(mfa)).not.toContain(name);
  }
});

test('without middleware(), a route is refused with 500 not_configured and says why once a minute, not once a request', async () => {
  const app = express();
  app.post('/2fa/send', mfa.sendCodeRoute());
  app.get('/admin', mfa.requireSecondFactor(), (_req, res) => void res.send('secret'));
  const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    for (let i = 0; i < 4; i += 1) {
      const res = await request(app).post('/2fa/send').set(JSON_HEADERS);
      expect([res.status, res.body.error]).toEqual([500, 'not_configured']);
      expect((await getAdmin(app)).status).toBe(500);
    }
    const lines = spy.mock.calls.map((call) => String(call[0]));
    expect(lines.filter((line) => line.includes('`sendCodeRoute()` was used without `app.use(mfa.middleware(options))`'))).toHaveLength(1);
    expect(lines.filter((line) => line.includes('`requireSecondFactor()` was used without'))).toHaveLength(1);
  } finally {
    spy.mockRestore();
  }
});

test('a verified session passes the guard of either shape in the same tick: no promise on the hot path', async () => {
  const instance = mfa.createMfa(options('tick', 'TICK'));
  const app = express();
  app.use(session({ secret: 'module-shape-test-secret', resave: false, saveUninitialized: false, name: 'sid' }));
  app.use(instance.middleware());
  app.post('/login', (req, res) => {
    Object.assign(req.session, {
      username: 'alice',
      mfa: { verified: { TICK: { userId: USERS.alice?.id, at: Date.now(), method: 'sms' } } },
    });
    res.json({ ok: true });
  });
  // Whether the handler after the guard ran before the guard's caller got control back.
  const sameTick = (guard: express.RequestHandler): express.RequestHandler[] => [
    (req, res, next) => {
      let returned = false;
      res.locals.sameTick = () => !returned;
      next();
      returned = true;
    },
    guard,
    (_req, res) => void res.json({ sameTick: (res.locals.sameTick as () => boolean)() }),
  ];
  app.get('/instance', ...sameTick(instance.requireSecondFactor()));
  app.get('/module', ...sameTick(mfa.requireSecondFactor()));
  const cookie = await login(app);
  for (const path of ['/instance', '/module']) {
    expect([path, (await request(app).get(path).set(JSON_HEADERS).set('Cookie', cookie)).body]).toEqual([path, { sameTick: true }]);
  }
});

test('bad options of a module-level handler are refused when it is built, before any request', () => {
  expect(() => mfa.sendCodeRoute({ errorPath: 'https://elsewhere.example' })).toThrow(/sendCodeRoute\.errorPath/);
  expect(() => mfa.sendRateLimit({ limit: 0 })).toThrow(/sendRateLimit\.limit/);
  expect(() => mfa.challengePage({ accountPath: 'https://elsewhere.example' })).toThrow(/challengePage\.accountPath/);
});
