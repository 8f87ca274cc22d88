// The IP-level send guard: one budget per address across app instances, our error format, proxies, Redis trouble, bad options.
import type { Express } from 'express';
import Redis, { type Cluster } from 'ioredis';
import request from 'supertest';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { sendRateLimit, type RedisCommandClient, type SendRateLimitOptions } from '../../src';
import { createTestApp } from '../helpers/create-app';
import { JSON_HEADERS, login, postForm, send } from '../helpers/flow';
import { REDIS_URL, closeClient, createRedis, uniquePrefix, withErrorListener } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { privateRedis } from '../helpers/redis-server';
import {
  closeNodeRedis,
  nodeRedisV4,
  nodeRedisV5,
  type NodeRedisClusterV5,
  type NodeRedisSentinelV5,
  type NodeRedisV4,
  type NodeRedisV5,
} from '../helpers/node-redis';

// Compile-time: both ioredis client kinds, and node-redis clients, clusters and Sentinel clients, are accepted without a cast.
export const clientKindsFit: RedisCommandClient[] = [
  null as unknown as Redis,
  null as unknown as Cluster,
  null as unknown as NodeRedisV5,
  null as unknown as NodeRedisV4,
  null as unknown as NodeRedisClusterV5,
  null as unknown as NodeRedisSentinelV5,
];

let redis: Redis;
let other: Redis;
let emulator: BandwidthEmulator;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = createRedis();
  other = createRedis();
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  for (const prefix of prefixes) {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
  }
  await emulator.close();
  await Promise.all([closeClient(redis), closeClient(other)]);
});
beforeEach(() => emulator.reset());

function testPrefix(label: string): string {
  const prefix = uniquePrefix(label);
  prefixes.push(prefix);
  return prefix;
}

/** An app instance whose send route is guarded by its `sendRateLimit(options)`; instances given the same prefix share app state and the IP budget. */
function guardedApp(prefix: string, client: Redis, options: SendRateLimitOptions): Express {
  return createTestApp({ redis: client, prefix, emulator, beforeSend: (instance) => [instance.sendRateLimit(options)] });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('sendRateLimit across app instances', () => {
  test('one address gets `limit` send requests across both instances, then 429 send_limit_reached with Retry-After', async () => {
    const prefix = testPrefix('send-ip');
    const options: SendRateLimitOptions = { limit: 3, prefix: `${prefix}ip:` };
    const a = guardedApp(prefix, redis, { ...options, redis });
    const b = guardedApp(prefix, other, { ...options, redis: other });

    expect((await send(a, await login(a, 'alice'))).status).toBe(200);
    expect((await send(b, await login(b, 'bob'))).status).toBe(200);
    // Refused by the core (nobody signed in), yet counted: the guard stands in front of everything.
    expect((await request(a).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' })).status).toBe(401);

    const refused = await send(b, await login(b, 'alice'));
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: 'send_limit_reached',
      message: expect.stringMatching(/^Too many codes were requested\. Try again in \d+ minutes?\.$/),
      retryAfterSeconds: expect.any(Number),
    });
    expect(refused.body.retryAfterSeconds).toBeGreaterThan(0);
    expect(refused.body.retryAfterSeconds).toBeLessThanOrEqual(900);
    expect(refused.headers['retry-after']).toBe(String(refused.body.retryAfterSeconds));
    expect(emulator.sent).toHaveLength(2);
  });

  test('a browser over the limit is sent back to the challenge page with the error', async () => {
    const prefix = testPrefix('send-ip-html');
    const app = guardedApp(prefix, redis, { redis, limit: 1, prefix: `${prefix}ip:` });
    const cookie = await login(app);
    const form = () => postForm(app, '/2fa/send', cookie, { channel: 'sms' });
    expect((await form()).status).toBe(303);
    const refused = await form();
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/^\/2fa\?error=send_limit_reached(&|$)/);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
  });

  test('the budget comes back when the window ends', async () => {
    const prefix = testPrefix('send-ip-window');
    const app = guardedApp(prefix, redis, { redis, limit: 1, windowMs: 1000, prefix: `${prefix}ip:` });
    const anonymous = () => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
    expect((await anonymous()).status).toBe(401);
    expect((await anonymous()).body).toMatchObject({ error: 'send_limit_reached', retryAfterSeconds: 1 });
    await sleep(1100);
    expect((await anonymous()).status).toBe(401);
  });

  test('keeps counting after Redis lost its scripts (SCRIPT FLUSH, restart, failover)', async () => {
    // SCRIPT FLUSH empties the script cache of a whole server: the counter lives on a private one, never the shared Redis.
    const server = privateRedis(await freePort());
    await server.start();
    const own = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const prefix = testPrefix('send-ip-noscript');
      const app = guardedApp(prefix, redis, { redis: own, limit: 2, prefix: `${prefix}ip:` });
      const anonymous = () => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
      expect((await anonymous()).status).toBe(401);
      await own.script('FLUSH');
      expect((await anonymous()).status).toBe(401);
      await own.script('FLUSH');
      expect((await anonymous()).body.error).toBe('send_limit_reached');
    } finally {
      await closeClient(own);
      await server.kill();
    }
  });
});

describe('sendRateLimit without Redis', () => {
  test('counts in this process only, with the same answer over the limit', async () => {
    const app = guardedApp(testPrefix('send-ip-memory'), redis, { limit: 1 });
    const anonymous = () => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
    expect((await anonymous()).status).toBe(401);
    const refused = await anonymous();
    expect(refused.body).toMatchObject({ error: 'send_limit_reached', retryAfterSeconds: expect.any(Number) });
    expect(refused.headers['retry-after']).toBe(String(refused.body.retryAfterSeconds));
  });
});

describe('sendRateLimit and proxies', () => {
  test('a forged X-Forwarded-For buys no fresh budget while `trust proxy` is off', async () => {
    const prefix = testPrefix('send-ip-xff');
    const app = guardedApp(prefix, redis, { redis, limit: 1, prefix: `${prefix}ip:` });
    const errors = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      const from = (ip: string) => request(app).post('/2fa/send').set(JSON_HEADERS).set('X-Forwarded-For', ip).send({ channel: 'sms' });
      expect((await from('203.0.113.1')).status).toBe(401);
      expect((await from('203.0.113.2')).body.error).toBe('send_limit_reached');
      // express-rate-limit says why the header was ignored.
      expect(errors.mock.calls.flat().some((e) => (e as { code?: string })?.code === 'ERR_ERL_UNEXPECTED_X_FORWARDED_FOR')).toBe(true);
    } finally {
      errors.mockRestore();
    }
  });

  test('behind one trusted proxy, each client address has its own budget', async () => {
    const prefix = testPrefix('send-ip-proxy');
    const app = guardedApp(prefix, redis, { redis, limit: 1, prefix: `${prefix}ip:` });
    app.set('trust proxy', 1);
    const from = (ip: string) => request(app).post('/2fa/send').set(JSON_HEADERS).set('X-Forwarded-For', ip).send({ channel: 'sms' });
    expect((await from('203.0.113.1')).status).toBe(401);
    expect((await from('203.0.113.2')).status).toBe(401);
    expect((await from('203.0.113.1')).body.error).toBe('send_limit_reached');
  });
});

describe('sendRateLimit when Redis is in trouble', () => {
  test('refuses with 503 service_unavailable (fail closed) when Redis does not answer, and sends nothing', async () => {
    const offline = withErrorListener(new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true }));
    const logs: string[] = [];
    const prefix = testPrefix('send-ip-down');
    const app = createTestApp({
      redis,
      prefix,
      emulator,
      logs,
      beforeSend: (instance) => [instance.sendRateLimit({ redis: offline, prefix: `${prefix}ip:` })],
    });
    try {
      const res = await send(app, await login(app));
      expect(res.status).toBe(503);
      expect(res.body).toMatchObject({ error: 'service_unavailable' });
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(emulator.sent).toHaveLength(0);
      expect(logs.join('\n')).toMatch(/sendRateLimit could not reach its store/);
    } finally {
      await closeClient(offline);
    }
  });

  test('built while Redis was unreachable, it counts normally once Redis is back', async () => {
    const late = withErrorListener(new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true }));
    const prefix = testPrefix('send-ip-late');
    try {
      const app = guardedApp(prefix, redis, { redis: late, limit: 1, prefix: `${prefix}ip:` });
      await late.connect();
      const anonymous = () => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
      expect((await anonymous()).status).toBe(401);
      expect((await anonymous()).body.error).toBe('send_limit_reached');
    } finally {
      await closeClient(late);
    }
  });
});

describe('sendRateLimit options', () => {
  test.each<[string, unknown, RegExp]>([
    ['a limit of 0', { limit: 0 }, /`sendRateLimit\.limit` must be a whole number from 1 to 10000; got 0/],
    ['a fractional limit', { limit: 2.5 }, /`sendRateLimit\.limit` must be a whole number/],
    [
      'windowMs in seconds by mistake',
      { windowMs: 900 },
      /`sendRateLimit\.windowMs` must be a whole number from 1000 to 86400000; got 900\. It is in milliseconds/,
    ],
    ['windowMs as text', { windowMs: '15m' }, /`sendRateLimit\.windowMs` must be a whole number.*got "15m"/],
    [
      'a client that is neither ioredis nor node-redis',
      { redis: {} },
      /`sendRateLimit\.redis` must be an ioredis client .* or a node-redis client or cluster/,
    ],
    ['an empty prefix', { prefix: '' }, /`sendRateLimit\.prefix` must be a non-empty string/],
    ['a misspelled option', { windowMS: 60_000 }, /unknown option `sendRateLimit\.windowMS`\. Did you mean `sendRateLimit\.windowMs`\?/],
    ["express-rate-limit's old name for limit", { max: 5 }, /unknown option `sendRateLimit\.max`/],
    ['something that is not an object', 'redis', /takes an object/],
  ])('refuses %s with a TypeError that says what to change', (_label, options, message) => {
    expect(() => sendRateLimit(options as SendRateLimitOptions)).toThrow(TypeError);
    expect(() => sendRateLimit(options as SendRateLimitOptions)).toThrow(message);
  });

  test('without express-rate-limit installed, the library still loads and sendRateLimit() says what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('express-rate-limit', () => {
        throw Object.assign(new Error("Cannot find module 'express-rate-limit' from 'src/rate-limit.ts'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the library under the mock
      const library = require('../../src') as typeof import('../../src');
      expect(typeof library.middleware).toBe('function');
      expect(() => library.sendRateLimit()).toThrow(
        /sendRateLimit\(\) needs the package `express-rate-limit`: npm install express-rate-limit rate-limit-redis/,
      );
    });
    jest.dontMock('express-rate-limit');
  });
});

describe('sendRateLimit on node-redis', () => {
  test.each([
    ['v5', () => nodeRedisV5()],
    ['v4', () => nodeRedisV4()],
    ['v4 in legacyMode', () => nodeRedisV4(undefined, { legacyMode: true })],
  ] as const)('a node-redis %s client and an ioredis one share one budget per address', async (_version, connect) => {
    const client = await connect();
    try {
      const prefix = testPrefix('send-ip-node');
      const options: SendRateLimitOptions = { limit: 2, prefix: `${prefix}ip:` };
      const a = guardedApp(prefix, redis, { ...options, redis: client });
      const b = guardedApp(prefix, other, { ...options, redis });
      expect((await send(a, await login(a, 'alice'))).status).toBe(200);
      expect((await send(b, await login(b, 'bob'))).status).toBe(200);
      const refused = await send(a, await login(a, 'alice'));
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('send_limit_reached');
    } finally {
      await closeNodeRedis(client);
    }
  });
});
