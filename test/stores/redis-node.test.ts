// The Redis store through node-redis (the `redis` package, v5 and v4): the shared contract, scripts, the eviction check, failing closed.
import { createClient, createCluster, createSentinel } from 'redis';
import { createClient as createClientV4, createCluster as createClusterV4 } from 'redis4';
import { redisStore, type RedisClientLike } from '../../src/stores/redis';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { privateRedis } from '../helpers/redis-server';
import { closeNodeRedis, nodeRedisV4, nodeRedisV5, type NodeRedisV4, type NodeRedisV5 } from '../helpers/node-redis';
import { deleteUnder } from '../helpers/store-keys';
import { describeStoreContract } from './store-contract';
import { countAttempt } from '../helpers/attempts';

// Compile-time: every node-redis client kind is accepted without a cast.
export const clientKindsFit: RedisClientLike[] = [
  null as unknown as ReturnType<typeof createClient>,
  null as unknown as ReturnType<typeof createCluster>,
  null as unknown as ReturnType<typeof createSentinel>,
  null as unknown as ReturnType<typeof createClientV4>,
  null as unknown as ReturnType<typeof createClusterV4>,
];

const raw = createRedis();
let v5: NodeRedisV5;
let v4: NodeRedisV4;
const prefixes: string[] = [];
function testPrefix(): string {
  const prefix = uniquePrefix('store-node');
  prefixes.push(prefix);
  return prefix;
}

beforeAll(async () => {
  v5 = await nodeRedisV5();
  v4 = await nodeRedisV4();
});
afterAll(async () => {
  for (const prefix of prefixes) await deleteUnder(raw, prefix);
  await closeClient(raw);
  await closeNodeRedis(v5);
  await closeNodeRedis(v4);
});

describeStoreContract('redisStore on node-redis v5', () => redisStore(v5, { prefix: testPrefix() }));
describeStoreContract('redisStore on node-redis v4', () => redisStore(v4, { prefix: testPrefix() }));

describe.each([
  ['v5', () => v5],
  ['v4', () => v4],
] as const)('redisStore on node-redis %s', (_version, client) => {
  it('writes the same keys and values as on ioredis, numbers sent as strings', async () => {
    const prefix = testPrefix();
    const store = redisStore(client(), { prefix });
    await store.set('{u:1}:challenge', 'id-1', 30);
    expect(await countAttempt(store, '{u:1}')).toBe(1);
    expect(await raw.get(`${prefix}{u:1}:challenge`)).toBe('id-1');
    const pttl = await raw.pttl(`${prefix}{u:1}:attempts`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });
});

describe('redisStore on a node-redis v4 client in legacyMode', () => {
  it("runs on the client's promise API (`.v4`) instead of its callback commands", async () => {
    const legacy = await nodeRedisV4(undefined, { legacyMode: true });
    try {
      const store = redisStore(legacy, { prefix: testPrefix() });
      await store.set('{u:1}:challenge', 'id-1', 60);
      expect(await countAttempt(store, '{u:1}')).toBe(1);
      expect(await store.get('{u:1}:challenge')).toMatchObject({ value: 'id-1' });
      expect(await store.delete(['{u:1}:challenge'], 'id-1')).toBe(true);
      expect(await store.delete(['{u:1}:challenge'], 'id-1')).toBe(false);
      expect(await store.evictionPolicy?.()).toMatch(/^[a-z-]+$/);
    } finally {
      await closeNodeRedis(legacy);
    }
  });
});

describe('redisStore on node-redis, on a private server', () => {
  // SCRIPT FLUSH and CONFIG SET change a whole server: a private one, never the shared Redis.
  let server: ReturnType<typeof privateRedis>;
  beforeAll(async () => {
    server = privateRedis(await freePort());
    await server.start();
  });
  afterAll(() => server.kill());

  it.each([
    ['v5', nodeRedisV5],
    ['v4', nodeRedisV4],
  ] as const)('%s recovers from NOSCRIPT after SCRIPT FLUSH', async (_version, connect) => {
    const own = await connect(`redis://127.0.0.1:${server.port}`);
    try {
      const store = redisStore(own, { prefix: testPrefix() });
      await store.set('{u:1}:challenge', 'id-1', 60);
      expect(await countAttempt(store, '{u:1}')).toBe(1);
      await own.scriptFlush();
      const counts = await Promise.all(Array.from({ length: 10 }, () => countAttempt(store, '{u:1}')));
      expect([...counts].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      await own.scriptFlush();
      expect(await store.delete(['{u:1}:challenge'], 'id-1')).toBe(true);
    } finally {
      await closeNodeRedis(own);
    }
  });

  it.each([
    ['v5', nodeRedisV5],
    ['v4', nodeRedisV4],
  ] as const)('%s reads the eviction policy through INFO memory', async (_version, connect) => {
    const own = await connect(`redis://127.0.0.1:${server.port}`);
    try {
      const store = redisStore(own);
      await own.configSet('maxmemory-policy', 'allkeys-lru');
      expect(await store.evictionPolicy?.()).toBe('allkeys-lru');
      await own.configSet('maxmemory-policy', 'noeviction');
      expect(await store.evictionPolicy?.()).toBe('noeviction');
    } finally {
      await closeNodeRedis(own);
    }
  });
});

describe('redisStore on node-redis failures', () => {
  it('rejects every operation of a client that was never connected', async () => {
    const store = redisStore(createClient(), { prefix: testPrefix() });
    await expect(countAttempt(store, '{u:1}')).rejects.toThrow();
    await expect(store.get('{u:1}:k')).rejects.toThrow();
    await expect(store.delete(['{u:1}:k'], 'v')).rejects.toThrow();
    const storeV4 = redisStore(createClientV4(), { prefix: testPrefix() });
    await expect(countAttempt(storeV4, '{u:1}')).rejects.toThrow();
  });

  it('rejects once the client is closed', async () => {
    const client = await nodeRedisV5();
    const store = redisStore(client, { prefix: testPrefix() });
    await store.set('{u:1}:k', 'v', 60);
    await client.disconnect();
    await expect(store.get('{u:1}:k')).rejects.toThrow();
    await expect(store.lock({ lockout: '{u:1}:lockout' }, { reason: 'held', seconds: 60 })).rejects.toThrow();
  });

  it('passes Redis errors through as rejections', async () => {
    const prefix = testPrefix();
    await raw.lpush(`${prefix}{u:1}:list`, 'x');
    const store = redisStore(v5, { prefix });
    await expect(store.get('{u:1}:list')).rejects.toThrow(/WRONGTYPE/);
  });

  it('refuses a client of neither library, naming both', () => {
    expect(() => redisStore({ get: () => undefined } as unknown as RedisClientLike)).toThrow(/ioredis.*node-redis.*createClient\(\)/);
  });

  it('fails, instead of reading "no value", when a callback-style client answers nothing', async () => {
    const callbackStyle = { sendCommand: () => undefined } as unknown as RedisClientLike;
    const store = redisStore(callbackStyle, { prefix: testPrefix() });
    await expect(store.delete(['{u:1}:k'], 'v')).rejects.toThrow(/gave no answer/);
    await expect(countAttempt(store, '{u:1}')).rejects.toThrow(/gave no answer/);
  });
});
