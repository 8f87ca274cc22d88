// `@opentelemetry/api` is an optional peer: the default records through its global MeterProvider, and without it the library works and records nothing.
import type { Express, Request } from 'express';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { metrics } from '@opentelemetry/api';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { bandwidthOptionsFor, USERS } from '../helpers/create-app';
import { readableMeterProvider, type ReadableMeterProvider } from '../helpers/metric-reader';

type Library = typeof import('../../src');

let emulator: BandwidthEmulator;
let global: ReadableMeterProvider;
beforeAll(async () => {
  emulator = await startBandwidthEmulator();
  global = readableMeterProvider();
  // What an app does when it starts the OpenTelemetry SDK before building its routes.
  expect(metrics.setGlobalMeterProvider(global.provider)).toBe(true);
});
afterAll(async () => {
  await emulator.close();
  await global.shutdown();
  metrics.disable();
});
beforeEach(() => emulator.reset());

/** A minimal app on the given copy of the library: sessions and the store in memory, Bandwidth as the emulator. */
function appOn(library: Library, options: { metrics?: boolean } = {}): Express {
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'secret-of-the-optional-api-test', resave: false, saveUninitialized: false }));
  app.use(
    library.middleware({
      bandwidth: bandwidthOptionsFor(emulator),
      getUser: (req: Request) => ((req.session as { signedIn?: boolean }).signedIn ? (USERS.alice ?? null) : null),
      store: library.memoryStore(),
      logger: { warn: () => undefined, error: () => undefined },
      ...options,
    }),
  );
  app.post('/login', (req, res) => {
    (req.session as { signedIn?: boolean }).signedIn = true;
    res.json({ ok: true });
  });
  app.post('/2fa/send', library.sendCodeRoute());
  app.post('/2fa/verify', library.verifyCodeRoute());
  app.get('/admin', library.requireSecondFactor(), (_req, res) => void res.json({ admin: true }));
  return app;
}

/** Signs in, sends, enters the code, opens the protected page: the answers' statuses. */
async function signIn(app: Express): Promise<number[]> {
  const agent = request.agent(app);
  const statuses = [(await agent.post('/login').send({})).status];
  statuses.push((await agent.post('/2fa/send').set('Accept', 'application/json').send({ channel: 'sms' })).status);
  statuses.push(
    (
      await agent
        .post('/2fa/verify')
        .set('Accept', 'application/json')
        .send({ code: emulator.lastCode(USERS.alice?.phoneNumber ?? '') })
    ).status,
  );
  statuses.push((await agent.get('/admin').set('Accept', 'application/json')).status);
  return statuses;
}

test('by default the library records through the global MeterProvider', async () => {
  let library!: Library;
  jest.isolateModules(() => {
    library = jest.requireActual<Library>('../../src');
  });
  expect(await signIn(appOn(library))).toEqual([200, 200, 200, 200]);
  expect(await global.total('mfa.codes.sent')).toBe(1);
  expect(await global.total('mfa.codes.verified')).toBe(1);
});

test('`metrics: false` leaves the global MeterProvider alone', async () => {
  let library!: Library;
  jest.isolateModules(() => {
    library = jest.requireActual<Library>('../../src');
  });
  const before = await global.total('mfa.codes.sent');
  expect(await signIn(appOn(library, { metrics: false }))).toEqual([200, 200, 200, 200]);
  expect(await global.total('mfa.codes.sent')).toBe(before);
});

test('without @opentelemetry/api the flow works as before and nothing is recorded; the API is looked for once, at start-up', async () => {
  let loads = 0;
  let library!: Library;
  jest.isolateModules(() => {
    // What `require` does when the optional peer dependency was never installed.
    jest.doMock('@opentelemetry/api', () => {
      loads += 1;
      throw Object.assign(new Error("Cannot find module '@opentelemetry/api'"), { code: 'MODULE_NOT_FOUND' });
    });
    library = jest.requireActual<Library>('../../src');
  });
  expect(loads).toBe(0);
  const first = appOn(library);
  expect(loads).toBe(1);
  const before = await global.total('mfa.codes.sent');

  expect(await signIn(first)).toEqual([200, 200, 200, 200]);
  expect(await signIn(appOn(library))).toEqual([200, 200, 200, 200]);
  expect(emulator.sent).toHaveLength(2);
  expect(loads).toBe(1);
  expect(await global.total('mfa.codes.sent')).toBe(before);
});
