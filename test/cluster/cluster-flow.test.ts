// Two app instances on one Redis Cluster (each its own ioredis Cluster client): lockouts, attempt budget, single use, expiry.
import type { Express } from 'express';
import request from 'supertest';
import type { Cluster } from 'ioredis';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import type { MfaOptions } from '../../src';
import { createTestApp, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, send, verify, wrongCode } from '../helpers/flow';
import { closeClient, uniquePrefix } from '../helpers/redis';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster';

jest.setTimeout(60_000);

let cluster: LocalRedisCluster | undefined;
let clients: Cluster[] = [];
let emulator: BandwidthEmulator;

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
  cluster = await startRedisCluster();
  const started = cluster;
  clients = [started.connect(), started.connect()];
});
afterAll(async () => {
  await Promise.all(clients.map(closeClient));
  await cluster?.stop();
  await emulator?.close();
});
beforeEach(() => emulator.reset());

/**
 * Two instances of one deployment: same key prefix, each with its own Cluster client. Sessions are on
 * the Cluster too (connect-redis 8.1 with the ioredis Cluster client), so a cookie works on both.
 */
function twoInstances(mfa: Partial<MfaOptions> = {}): { prefix: string; a: Express; b: Express } {
  const prefix = uniquePrefix('cluster-flow');
  const [first, second] = clients as [Cluster, Cluster];
  return {
    prefix,
    a: createTestApp({ redis: first, prefix, emulator, mfa }),
    b: createTestApp({ redis: second, prefix, emulator, mfa }),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('two app instances on a Redis Cluster', () => {
  test('a lockout earned across both instances holds on each, for a new session too, and the right code is refused unasked', async () => {
    const { a, b } = twoInstances();
    const cookie = await login(a);
    expect((await send(a, cookie)).status).toBe(200);
    const right = codeFor(emulator);
    for (let i = 0; i < 4; i += 1) {
      const res = await verify(i % 2 === 0 ? a : b, cookie, wrongCode(right));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 - i });
    }
    const fifth = await verify(b, cookie, wrongCode(right));
    expect(fifth.status).toBe(429);
    expect(fifth.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 900 });

    const calls = emulator.requestCount('verify');
    const rightOnA = await verify(a, cookie, right);
    expect(rightOnA.status).toBe(429);
    expect(rightOnA.headers['retry-after']).toMatch(/^\d+$/);
    expect(emulator.requestCount('verify')).toBe(calls);
    const freshSession = await login(b);
    expect((await send(b, freshSession)).body).toMatchObject({ error: 'locked_out' });
    expect(emulator.requestCount('messaging')).toBe(1);
  });

  test('parallel wrong codes split over both instances: at most maxAttempts reach Bandwidth', async () => {
    const { a, b } = twoInstances();
    const cookie = await login(a);
    await send(a, cookie);
    const right = codeFor(emulator);
    const results = await Promise.all(Array.from({ length: 12 }, (_, i) => verify(i % 2 === 0 ? a : b, cookie, wrongCode(right))));
    expect(results.map((r) => r.status).every((status) => status === 400 || status === 429)).toBe(true);
    expect(results.some((r) => r.body.error === 'locked_out')).toBe(true);
    expect(emulator.requestCount('verify')).toBeLessThanOrEqual(5);
    expect((await verify(b, cookie, right)).body).toMatchObject({ error: 'locked_out' });
  });

  test('the right code sent 10 times in parallel over both instances verifies exactly once', async () => {
    // A budget large enough that the attempt limit plays no part: this is about single use only.
    const { a, b } = twoInstances({ maxAttempts: 20 });
    const cookie = await login(a);
    await send(b, cookie);
    const code = codeFor(emulator);
    const results = await Promise.all(Array.from({ length: 10 }, (_, i) => verify(i % 2 === 0 ? a : b, cookie, code)));
    const passed = results.filter((r) => r.status === 200);
    expect(passed).toHaveLength(1);
    expect(results.filter((r) => r.status !== 200).every((r) => r.status >= 400 && r.status < 500)).toBe(true);
    // The winner's new session, kept in the Cluster, opens the protected route on both instances.
    const verifiedCookie = sessionCookie(passed[0]?.headers ?? {});
    expect((await getAdmin(a, verifiedCookie)).status).toBe(200);
    expect((await getAdmin(b, verifiedCookie)).status).toBe(200);
  });

  test('a code whose challenge expired in the Cluster is refused on both instances, Bandwidth asked only under scopes never sent', async () => {
    const { prefix, a, b } = twoInstances();
    const cookie = await login(a);
    await send(a, cookie);
    // Stands in for the code's five minutes passing: the node that owns the key lets it expire.
    const challengeKeys = await keysMatching(`${prefix}mfa:*:challenge`);
    expect(challengeKeys).toHaveLength(1);
    await (clients[0] as Cluster).pexpire(challengeKeys[0] as string, 1);
    await sleep(20);
    for (const app of [a, b]) {
      const res = await verify(app, cookie, codeFor(emulator));
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_code');
    }
    // One decoy call per attempt (as slow as a live check), none under the scope the code went out under.
    const scopes = emulator.requests.filter((r) => r.endpoint === 'verify').map((r) => (r.body as { scope: string }).scope);
    expect(scopes).toHaveLength(2);
    for (const scope of scopes) expect(emulator.sent.map((sent) => sent.scope)).not.toContain(scope);
  });

  test('a lockout ends on both instances when its time in the Cluster runs out', async () => {
    const { a, b } = twoInstances({ resendCooldownSeconds: 1 });
    const cookie = await login(a);
    await send(a, cookie);
    // Bandwidth says "wait 1 second": the user is locked for exactly that long, by the Cluster's clock.
    emulator.injectFault({
      endpoint: 'verify',
      status: 429,
      body: { error: 'Too many attempts', requestId: 'r-1' },
      headers: { 'Retry-After': '1' },
      times: 1,
    });
    expect((await verify(a, cookie, codeFor(emulator))).body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 1 });
    expect((await send(b, await login(b))).body).toMatchObject({ error: 'locked_out' });

    await sleep(1100);
    const again = await login(b);
    expect((await send(b, again)).status).toBe(200);
    expect((await verify(a, again, codeFor(emulator))).status).toBe(200);
  });
});

describe('sendRateLimit on a Redis Cluster', () => {
  test('one address shares its budget over both instances, also after the masters lost their scripts', async () => {
    const prefix = uniquePrefix('cluster-send-ip');
    const [first, second] = clients as [Cluster, Cluster];
    const flushScripts = () => Promise.all(first.nodes('master').map((node) => node.script('FLUSH')));
    // Limiters with their own prefixes: their counts land in different slots, so on different masters.
    for (let i = 0; i < 6; i += 1) {
      const options = { limit: 2, prefix: `${prefix}ip-${i}:` };
      const a = createTestApp({
        redis: first,
        prefix,
        emulator,
        beforeSend: (instance) => [instance.sendRateLimit({ ...options, redis: first })],
      });
      const b = createTestApp({
        redis: second,
        prefix,
        emulator,
        beforeSend: (instance) => [instance.sendRateLimit({ ...options, redis: second })],
      });
      const anonymous = (app: Express) => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
      expect((await anonymous(a)).status).toBe(401);
      // As after a restart or failover: the master holding the count no longer knows the script.
      await flushScripts();
      expect((await anonymous(b)).status).toBe(401);
      await flushScripts();
      const refused = await anonymous(a);
      expect(refused.status).toBe(429);
      expect(refused.body).toMatchObject({ error: 'send_limit_reached' });
    }
  });
});

/** Test-only inspection: SCAN every master (a Cluster client's SCAN would reach only one node). */
async function keysMatching(pattern: string): Promise<string[]> {
  const found: string[] = [];
  for (const node of (clients[0] as Cluster).nodes('master')) {
    let cursor = '0';
    do {
      const [next, keys] = await node.scan(cursor, 'MATCH', pattern, 'COUNT', 1000);
      found.push(...keys);
      cursor = next;
    } while (cursor !== '0');
  }
  return found;
}
