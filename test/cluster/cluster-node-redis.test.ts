// The Redis store and the flow on a three-master Redis Cluster through node-redis v5 cluster clients (sessions through connect-redis 9).
import type { Express } from 'express';
import request from 'supertest';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { redisStore } from '../../src/stores/redis';
import { createTestApp } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { closeNodeRedis, nodeRedisClusterV5, type NodeRedisClusterV5 } from '../helpers/node-redis';
import { uniquePrefix } from '../helpers/redis';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster';
import { describeStoreContract } from '../stores/store-contract';
import { countAttempt } from '../helpers/attempts';

jest.setTimeout(60_000);

let cluster: LocalRedisCluster | undefined;
let clients: NodeRedisClusterV5[] = [];
let emulator: BandwidthEmulator | undefined;

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
  cluster = await startRedisCluster();
  clients = [await nodeRedisClusterV5(cluster.nodes), await nodeRedisClusterV5(cluster.nodes)];
});
afterAll(async () => {
  for (const client of clients) await closeNodeRedis(client);
  await cluster?.stop();
  await emulator?.close();
});
beforeEach(() => emulator?.reset());

const first = () => clients[0] as NodeRedisClusterV5;

/** Test-only: a node-redis client of every master, as the store's eviction check finds them. */
async function masters(): Promise<Awaited<ReturnType<NodeRedisClusterV5['nodeClient']>>[]> {
  return Promise.all(first().masters.map((master) => first().nodeClient(master)));
}

describeStoreContract('redisStore on a node-redis v5 Cluster client', () =>
  redisStore(first(), { prefix: uniquePrefix('cluster-node-store') }),
);

describe('redisStore on a node-redis v5 Cluster client', () => {
  it('recovers when the masters have lost their scripts', async () => {
    const store = redisStore(first(), { prefix: uniquePrefix('cluster-node-noscript') });
    await store.set('{u:1}:challenge', 'id-1', 60);
    expect(await countAttempt(store, '{u:1}')).toBe(1);
    await Promise.all((await masters()).map((node) => node.scriptFlush()));
    const counts = await Promise.all(Array.from({ length: 10 }, () => countAttempt(store, '{u:1}')));
    expect([...counts].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    expect(await store.delete(['{u:1}:challenge'], 'id-1')).toBe(true);
  });

  it('reads the eviction policy of every master: one evicting master is enough to warn', async () => {
    const store = redisStore(first());
    const nodes = await masters();
    expect(nodes).toHaveLength(3);
    expect(await store.evictionPolicy?.()).toBe('noeviction');
    await nodes[1]?.configSet('maxmemory-policy', 'volatile-lru');
    try {
      expect(await store.evictionPolicy?.()).toBe('volatile-lru');
    } finally {
      await nodes[1]?.configSet('maxmemory-policy', 'noeviction');
    }
  });
});

describe('two app instances on a Redis Cluster, each with its own node-redis v5 Cluster client', () => {
  function twoInstances(): { a: Express; b: Express } {
    if (!emulator) throw new Error('setup failed');
    const prefix = uniquePrefix('cluster-node-flow');
    return {
      a: createTestApp({ redis: clients[0] as NodeRedisClusterV5, prefix, emulator }),
      b: createTestApp({ redis: clients[1] as NodeRedisClusterV5, prefix, emulator }),
    };
  }

  test('a lockout earned across both instances holds on each, for a new session too, without asking Bandwidth', async () => {
    const bandwidth = emulator as BandwidthEmulator;
    const { a, b } = twoInstances();
    const cookie = await login(a);
    expect((await send(b, cookie)).status).toBe(200);
    const right = codeFor(bandwidth);
    for (let i = 0; i < 4; i += 1) {
      const res = await verify(i % 2 === 0 ? a : b, cookie, wrongCode(right));
      expect(res.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 - i });
    }
    const fifth = await verify(b, cookie, wrongCode(right));
    expect(fifth.status).toBe(429);
    expect(fifth.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 900 });

    const calls = bandwidth.requestCount('verify');
    expect((await verify(a, cookie, right)).status).toBe(429);
    expect(bandwidth.requestCount('verify')).toBe(calls);
    const freshSession = await login(b);
    expect((await send(a, freshSession)).body).toMatchObject({ error: 'locked_out' });
    expect(bandwidth.requestCount('messaging')).toBe(1);
  });
});

describe('sendRateLimit on node-redis v5 Cluster clients', () => {
  test('one address shares its budget over both instances, also after the masters lost their scripts', async () => {
    if (!emulator) throw new Error('setup failed');
    const prefix = uniquePrefix('cluster-node-send-ip');
    const [a, b] = clients.map((client) =>
      createTestApp({
        redis: client,
        prefix,
        emulator: emulator as BandwidthEmulator,
        beforeSend: (instance) => [instance.sendRateLimit({ redis: client, limit: 2, prefix: `${prefix}ip:` })],
      }),
    ) as [Express, Express];
    const anonymous = (app: Express) => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
    const flushScripts = async () => Promise.all((await masters()).map((node) => node.scriptFlush()));
    expect((await anonymous(a)).status).toBe(401);
    // As after a restart or failover: the master holding the count no longer knows the script.
    await flushScripts();
    expect((await anonymous(b)).status).toBe(401);
    await flushScripts();
    expect((await anonymous(a)).body).toMatchObject({ error: 'send_limit_reached' });
  });
});
