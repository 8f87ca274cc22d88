// Session and counter Redis down: protected routes and sends refuse at once with 503, never pass, never text; service resumes.
import type { Express } from 'express';
import type Redis from 'ioredis';
import request from 'supertest';
import { redisStore } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { createTestApp } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, loginAndVerify, send, verify } from '../helpers/flow';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { deleteUnder } from '../helpers/store-keys';
import { freePort } from '../helpers/loopback-server';
import { fastFailingClient, privateRedis, waitUntilReady, type PrivateRedis } from '../helpers/redis-server';

let emulator: BandwidthEmulator;
let server: PrivateRedis | undefined;
let client: Redis | undefined;

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(() => emulator.reset());
afterEach(async () => {
  if (client) await closeClient(client);
  client = undefined;
  await server?.kill();
  server = undefined;
});

/** Nothing hangs: an answer that takes longer than this fails the test. */
const ANSWER_WITHIN_MS = 2000;

/**
 * Every request a user may make while Redis is down, each with the cookie of a session that was fine before:
 * one verified, one holding a sent code (whose right code is tried).
 */
function duringOutage(app: Express, verified: string, pending: string) {
  const within = { response: ANSWER_WITHIN_MS, deadline: ANSWER_WITHIN_MS };
  return [
    ['GET /admin (verified)', getAdmin(app, verified).timeout(within)],
    [
      'POST /admin/action (verified)',
      request(app).post('/admin/action').set(JSON_HEADERS).set('Cookie', verified).send({}).timeout(within),
    ],
    ['GET /admin HTML (verified)', request(app).get('/admin').set('Accept', 'text/html').set('Cookie', verified).timeout(within)],
    ['POST /2fa/send', send(app, pending).timeout(within)],
    ['POST /2fa/verify (right code)', verify(app, pending, codeFor(emulator, 'bob')).timeout(within)],
  ] as const;
}

async function expectOutageAnswers(app: Express, verified: string, pending: string): Promise<void> {
  const textsBefore = emulator.sent.length;
  const verifiesBefore = emulator.requestCount('verify');
  for (const [label, req] of duringOutage(app, verified, pending)) {
    const res = await req;
    if (res.status !== 503) throw new Error(`${label} answered ${res.status} during the outage`);
    if (res.type === 'application/json') expect(res.body.error).toBe('service_unavailable');
  }
  expect(emulator.sent.length).toBe(textsBefore);
  expect(emulator.requestCount('verify')).toBe(verifiesBefore);
}

async function expectServiceWorks(app: Express): Promise<void> {
  const cookie = await loginAndVerify(app, emulator, 'bob');
  expect((await getAdmin(app, cookie)).status).toBe(200);
}

describe('Redis down', () => {
  test('killed mid-test: 503 at once, never 200, no SMS; service resumes when it is back', async () => {
    const port = await freePort();
    server = privateRedis(port);
    await server.start();
    client = fastFailingClient(port);
    await waitUntilReady(client);
    const app = createTestApp({ redis: client, prefix: uniquePrefix('down'), emulator });

    const verified = await loginAndVerify(app, emulator, 'alice');
    expect((await getAdmin(app, verified)).status).toBe(200);
    const pending = await login(app, 'bob');
    expect((await send(app, pending)).status).toBe(200);

    await server.kill();
    await expectOutageAnswers(app, verified, pending);

    await server.start();
    await waitUntilReady(client);
    await expectServiceWorks(app);
  });

  test('unreachable from the start: 503 for every session, no SMS; service starts when Redis appears', async () => {
    // A session cookie signed by the same deployment, made while its Redis was fine elsewhere.
    const shared = createRedis();
    const healthyPrefix = uniquePrefix('down-healthy');
    const healthy = createTestApp({ redis: shared, prefix: healthyPrefix, emulator });
    let verified: string;
    let pending: string;
    try {
      verified = await loginAndVerify(healthy, emulator, 'alice');
      pending = await login(healthy, 'bob');
      expect((await send(healthy, pending)).status).toBe(200);
    } finally {
      // Only the signed cookies are needed from here on.
      await deleteUnder(shared, healthyPrefix);
      await closeClient(shared);
    }

    const port = await freePort();
    client = fastFailingClient(port);
    const app = createTestApp({ redis: client, prefix: uniquePrefix('down'), emulator });
    await expectOutageAnswers(app, verified, pending);
    // Without a cookie nothing needs the store, and nothing passes either.
    expect((await getAdmin(app).timeout(ANSWER_WITHIN_MS)).status).toBe(401);

    server = privateRedis(port);
    await server.start();
    await waitUntilReady(client);
    await expectServiceWorks(app);
  });

  test('only the counter store down: sends and verifies refuse with 503, no provider call', async () => {
    const port = await freePort();
    server = privateRedis(port);
    await server.start();
    client = fastFailingClient(port);
    await waitUntilReady(client);
    // Sessions stay on the shared Redis; only the library's store dies.
    const shared = createRedis();
    const prefix = uniquePrefix('down-counters');
    try {
      const app = createTestApp({
        redis: shared,
        prefix,
        emulator,
        mfa: { store: redisStore(client, { prefix: uniquePrefix('counters') }) },
      });
      const cookie = await login(app);
      expect((await send(app, cookie)).status).toBe(200);
      const code = codeFor(emulator);
      await server.kill();
      const texts = emulator.sent.length;
      const res = await verify(app, cookie, code).timeout(ANSWER_WITHIN_MS);
      expect(res.status).toBe(503);
      expect(res.body.error).toBe('service_unavailable');
      expect(emulator.requestCount('verify')).toBe(0);
      expect((await send(app, await login(app)).timeout(ANSWER_WITHIN_MS)).status).toBe(503);
      expect(emulator.sent.length).toBe(texts);
      expect((await getAdmin(app, cookie)).status).toBe(401);
    } finally {
      await deleteUnder(shared, prefix);
      await closeClient(shared);
    }
  });
});
