// Only Bandwidth's exact `{"valid": true}` verifies: any other reply to a verify call grants nothing.
import type { Express } from 'express';
import type Redis from 'ioredis';
import { startBandwidthEmulator, type BandwidthEmulator, type FaultSpec } from '../../src/testing';
import { createTestApp } from '../helpers/create-app';
import { codeFor, getAdmin, login, send, verify } from '../helpers/flow';
import { createRedis, uniquePrefix } from '../helpers/redis';
import { deleteUnder, sessionCount } from '../helpers/store-keys';

let redis: Redis;
let emulator: BandwidthEmulator;
let app: Express;
let prefix: string;

beforeAll(async () => {
  redis = createRedis();
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  await emulator.close();
  redis.disconnect();
});
beforeEach(() => {
  emulator.reset();
  prefix = uniquePrefix('replies');
  app = createTestApp({ redis, prefix, emulator });
});
afterEach(() => deleteUnder(redis, prefix));

const REPLIES: Array<[string, FaultSpec]> = [
  ['an empty object', { body: {} }],
  ['valid as the string "true"', { body: { valid: 'true' } }],
  ['valid as 1', { body: { valid: 1 } }],
  ['valid as [true]', { body: { valid: [true] } }],
  ['Valid with a capital V', { body: { Valid: true } }],
  ['valid: true nested', { body: { data: { valid: true } } }],
  ['a bare true', { rawBody: 'true' }],
  ['an HTML page', { rawBody: '<html><body>{"valid": true}</body></html>', headers: { 'Content-Type': 'text/html' } }],
  ['an empty body', { rawBody: '' }],
  ['truncated JSON', { rawBody: '{"valid": true' }],
  ['valid: true with a redirect status', { status: 302, body: { valid: true }, headers: { Location: '/elsewhere' } }],
  ['valid: true with an error status', { status: 500, body: { valid: true } }],
];

describe('provider replies', () => {
  test.each(REPLIES)('%s never verifies', async (_label, fault) => {
    const cookie = await login(app);
    await send(app, cookie);
    emulator.injectFault({ endpoint: 'verify', status: 200, ...fault });
    const res = await verify(app, cookie, codeFor(emulator));
    expect(res.status).not.toBe(200);
    expect(res.body.verified).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await getAdmin(app, cookie)).status).toBe(401);
    // No second session was made: nothing to hand over.
    expect(await sessionCount(redis, prefix)).toBe(1);
    expect(emulator.requestCount('verify')).toBe(1);
  });

  test('the exact documented reply does verify, so the cases above fail for their reply alone', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    emulator.injectFault({ endpoint: 'verify', status: 200, body: { valid: true } });
    expect((await verify(app, cookie, '000000')).status).toBe(200);
  });
});
