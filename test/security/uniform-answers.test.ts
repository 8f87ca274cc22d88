// Wrong, expired, used, replaced and never-sent codes answer alike, so a client learns nothing about which it was.
import type Redis from 'ioredis';
import type { Response } from 'supertest';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { createTestApp } from '../helpers/create-app';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { challengeKey, deleteUnder, sessionKey } from '../helpers/store-keys';

let redis: Redis;
let emulator: BandwidthEmulator;
const prefixes: string[] = [];

beforeAll(async () => {
  redis = createRedis();
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteUnder(redis, prefix);
  await emulator.close();
  await closeClient(redis);
});

/** A fresh deployment with a signed-in user holding a challenge; each case is its user's first attempt. */
async function setUp() {
  emulator.reset();
  const prefix = uniquePrefix('uniform');
  prefixes.push(prefix);
  const app = createTestApp({ redis, prefix, emulator, mfa: { resendCooldownSeconds: 1 } });
  const cookie = await login(app);
  await send(app, cookie);
  return { app, cookie, prefix, code: codeFor(emulator) };
}

const CASES: Record<string, () => Promise<Response>> = {
  async wrong() {
    const { app, cookie, code } = await setUp();
    return verify(app, cookie, wrongCode(code));
  },
  async 'never sent'() {
    const { app, cookie, code } = await setUp();
    return verify(app, cookie, code === '000000' ? '000001' : '000000');
  },
  async expired() {
    const { app, cookie, code, prefix } = await setUp();
    await redis.del(await challengeKey(redis, prefix));
    return verify(app, cookie, code);
  },
  async used() {
    const { app, cookie, code, prefix } = await setUp();
    const saved = await redis.get(sessionKey(prefix, cookie));
    if ((await verify(app, cookie, code)).status !== 200) throw new Error('the first use should pass');
    await redis.set(sessionKey(prefix, cookie), saved as string, 'EX', 600);
    return verify(app, cookie, code);
  },
  async replaced() {
    const { app, cookie, code } = await setUp();
    await new Promise((r) => setTimeout(r, 1100));
    await send(app, await login(app));
    return verify(app, cookie, code);
  },
};

describe('uniform answers to refused codes', () => {
  test('wrong, never-sent, expired, used and replaced codes get the same status, headers and body', async () => {
    const answers: Record<string, { status: number; body: unknown; retryAfter: unknown; cache: unknown }> = {};
    for (const [label, run] of Object.entries(CASES)) {
      const res = await run();
      answers[label] = { status: res.status, body: res.body, retryAfter: res.headers['retry-after'], cache: res.headers['cache-control'] };
    }
    const reference = answers.wrong;
    expect(reference).toMatchObject({ status: 400, body: { error: 'invalid_code', attemptsRemaining: 4 } });
    for (const [label, answer] of Object.entries(answers)) {
      expect({ label, ...answer }).toEqual({ label, ...reference });
    }
  });
});
