// Replay: Bandwidth accepts a code again for minutes, so single use is enforced here, once, even under a race.
import type { Express } from 'express';
import type Redis from 'ioredis';
import type { MfaEvent } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { createTestApp, sessionCookie } from '../helpers/create-app';
import { codeFor, getAdmin, login, send, verify } from '../helpers/flow';
import { createRedis, uniquePrefix } from '../helpers/redis';
import { deleteUnder, sessionCount, sessionKey } from '../helpers/store-keys';

let redis: Redis;
let emulator: BandwidthEmulator;
let app: Express;
let prefix: string;
let events: MfaEvent[];

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
  events = [];
  prefix = uniquePrefix('replay');
  app = createTestApp({ redis, prefix, emulator, events, mfa: { resendCooldownSeconds: 1 } });
});
afterEach(() => deleteUnder(redis, prefix));

describe('replaying a code', () => {
  test('a used code is refused afterwards, in the verified session, the old one and a new one', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    const code = codeFor(emulator);
    const first = await verify(app, cookie, code);
    expect(first.status).toBe(200);
    const calls = emulator.requestCount('verify');
    expect((await verify(app, sessionCookie(first.headers), code)).status).toBe(400);
    expect((await verify(app, cookie, code)).status).toBe(401);
    const other = await login(app);
    expect((await verify(app, other, code)).status).toBe(400);
    expect((await getAdmin(app, other)).status).toBe(401);
    expect(emulator.requestCount('verify')).toBe(calls);
  });

  test('a used code is refused in a new session that has a fresh challenge of its own', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    const used = codeFor(emulator);
    expect((await verify(app, cookie, used)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const other = await login(app);
    await send(app, other);
    if (codeFor(emulator) !== used) {
      const res = await verify(app, other, used);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_code');
    }
  });

  test('a session restored with its pending challenge cannot use the code again, though Bandwidth would accept it', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    const code = codeFor(emulator);
    // What the session store held when the code was entered: a backup, a racing request, a replayed write.
    const saved = await redis.get(sessionKey(prefix, cookie));
    expect((await verify(app, cookie, code)).status).toBe(200);
    await redis.set(sessionKey(prefix, cookie), saved as string, 'EX', 600);
    const calls = emulator.requestCount('verify');
    const replay = await verify(app, cookie, code);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_code');
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect((await getAdmin(app, cookie)).status).toBe(401);
    expect(emulator.requestCount('verify')).toBe(calls);
  });

  test('10 parallel verifies of the right code: exactly one success and one session regeneration', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    const code = codeFor(emulator);
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(app, cookie, code)));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) {
      // Refused as a used code, a gone session, or past the attempt budget (10 tries of a budget of 5).
      expect([400, 401, 429]).toContain(loser.status);
      expect(loser.headers['set-cookie']).toBeUndefined();
    }
    // The login session is gone and exactly one new one exists.
    expect(await sessionCount(redis, prefix)).toBe(1);
    expect(events.filter((e) => e.type === 'code_verified')).toHaveLength(1);
    expect((await getAdmin(app, sessionCookie((winners[0] as { headers: Record<string, unknown> }).headers))).status).toBe(200);
  });
});
