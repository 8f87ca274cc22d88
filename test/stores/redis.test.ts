// The Redis store against a real Redis: the shared contract, where its keys land, and how it fails.
import Redis, { type Cluster } from 'ioredis';
import { redisStore, type RedisClientLike } from '../../src/stores/redis';
import { closeClient, createRedis, REDIS_URL, uniquePrefix, withErrorListener } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { privateRedis } from '../helpers/redis-server';
import { describeStoreContract } from './store-contract';
import { countAttempt } from '../helpers/attempts';

// Compile-time: both ioredis client kinds are accepted without a cast.
export const clientKindsFit: RedisClientLike[] = [null as unknown as Redis, null as unknown as Cluster];

const raw = createRedis();
const prefixes: string[] = [];
function testPrefix(): string {
  const prefix = uniquePrefix('store');
  prefixes.push(prefix);
  return prefix;
}

afterAll(async () => {
  // Cleanup only: SCAN is fine here, never in the store itself.
  for (const prefix of prefixes) {
    const keys: string[] = [];
    for await (const batch of raw.scanStream({ match: `${prefix}*`, count: 500 })) keys.push(...(batch as string[]));
    if (keys.length > 0) await raw.del(...keys);
  }
  await closeClient(raw);
});

describeStoreContract('redisStore', () => redisStore(raw, { prefix: testPrefix() }));

describe('redisStore keys', () => {
  it('land under the prefix, with the TTL given', async () => {
    const prefix = testPrefix();
    const store = redisStore(raw, { prefix });
    await store.set('{u:1}:challenge', 'id-1', 30);
    await countAttempt(store, '{u:1}');
    expect(await raw.get(`${prefix}{u:1}:challenge`)).toBe('id-1');
    expect(await raw.get(`${prefix}{u:1}:attempts`)).toBe('1');
    const pttl = await raw.pttl(`${prefix}{u:1}:attempts`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('default to the `mfa:` prefix', async () => {
    const key = `${uniquePrefix('default')}{u:1}:k`;
    await redisStore(raw).set(key, 'v', 30);
    try {
      expect(await raw.get(`mfa:${key}`)).toBe('v');
      expect(await raw.exists(key)).toBe(0);
    } finally {
      await raw.del(`mfa:${key}`);
    }
  });

  it('give an attempt counter left without a TTL one on the next attempt, so it cannot lock forever', async () => {
    const prefix = testPrefix();
    await raw.set(`${prefix}{u:1}:attempts`, '4');
    expect(await countAttempt(redisStore(raw, { prefix }), '{u:1}')).toBe(5);
    const pttl = await raw.pttl(`${prefix}{u:1}:attempts`);
    expect(pttl).toBeGreaterThan(0);
    expect(pttl).toBeLessThanOrEqual(60_000);
  });

  it('report a key without a TTL as Number.MAX_SAFE_INTEGER ms left', async () => {
    const prefix = testPrefix();
    await raw.set(`${prefix}{u:1}:k`, 'v');
    expect(await redisStore(raw, { prefix }).get('{u:1}:k')).toEqual({ value: 'v', ttlMs: Number.MAX_SAFE_INTEGER });
  });
});

describe('redisStore scripts', () => {
  it('recover from NOSCRIPT after SCRIPT FLUSH', async () => {
    // SCRIPT FLUSH empties the script cache of a whole server: a private one, never the shared Redis.
    const server = privateRedis(await freePort());
    await server.start();
    const own = new Redis(server.port, '127.0.0.1', { maxRetriesPerRequest: 1 });
    try {
      const store = redisStore(own, { prefix: testPrefix() });
      await store.set('{u:1}:challenge', 'id-1', 60);
      expect(await countAttempt(store, '{u:1}')).toBe(1);
      await own.script('FLUSH');
      const counts = await Promise.all(Array.from({ length: 10 }, () => countAttempt(store, '{u:1}')));
      expect([...counts].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
      await own.script('FLUSH');
      expect((await store.get('{u:1}:challenge'))?.value).toBe('id-1');
      await own.script('FLUSH');
      expect(await store.delete(['{u:1}:challenge'], 'id-1')).toBe(true);
    } finally {
      await closeClient(own);
      await server.kill();
    }
  });
});

describe('redisStore failures', () => {
  it('rejects every operation, without waiting, when the client is not connected', async () => {
    const offline = withErrorListener(new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true }));
    try {
      const store = redisStore(offline, { prefix: testPrefix() });
      await expect(countAttempt(store, '{u:1}')).rejects.toThrow();
      await expect(store.set('{u:1}:k', 'v', 60, true)).rejects.toThrow();
      await expect(store.set('{u:1}:k', 'v', 60)).rejects.toThrow();
      await expect(store.get('{u:1}:k')).rejects.toThrow();
      await expect(store.delete(['{u:1}:k'], 'v')).rejects.toThrow();
      await expect(store.delete(['{u:1}:k'])).rejects.toThrow();
    } finally {
      await closeClient(offline);
    }
  });

  it('rejects when a client that was connected has gone away', async () => {
    const client = withErrorListener(new Redis(REDIS_URL, { enableOfflineQueue: false, lazyConnect: true }));
    try {
      await client.connect();
      const store = redisStore(client, { prefix: testPrefix() });
      await store.set('{u:1}:k', 'v', 60);
      client.disconnect();
      await expect(store.get('{u:1}:k')).rejects.toThrow();
      await expect(countAttempt(store, '{u:1}')).rejects.toThrow();
    } finally {
      await closeClient(client);
    }
  });

  it('passes Redis errors through as rejections', async () => {
    const prefix = testPrefix();
    await raw.lpush(`${prefix}{u:1}:list`, 'x');
    const store = redisStore(raw, { prefix });
    await expect(store.get('{u:1}:list')).rejects.toThrow(/WRONGTYPE/);
    await expect(store.delete(['{u:1}:list'], 'x')).rejects.toThrow(/WRONGTYPE/);
  });

  it('refuses a client of neither ioredis nor node-redis, naming both', () => {
    expect(() => redisStore({} as RedisClientLike)).toThrow(/ioredis.*node-redis/);
  });

  it.each(['{app}:', 'mfa}'])('refuses the prefix %p, which would move keys to another Cluster slot', (prefix) => {
    expect(() => redisStore(raw, { prefix })).toThrow(TypeError);
  });
});
