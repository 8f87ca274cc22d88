// The Redis store, unchanged, on an ioredis Cluster of three masters: the shared contract, scripts, failing closed.
import type { Cluster } from 'ioredis';
import { redisStore } from '../../src/stores/redis';
import { describeStoreContract } from '../stores/store-contract';
import { closeClient, uniquePrefix } from '../helpers/redis';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster';
import { countAttempt } from '../helpers/attempts';

jest.setTimeout(60_000);

let cluster: LocalRedisCluster | undefined;
let client: Cluster;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = cluster.connect();
});
afterAll(async () => {
  if (client) await closeClient(client);
  await cluster?.stop();
});

describeStoreContract('redisStore on a Redis Cluster', () => redisStore(client, { prefix: uniquePrefix('cluster-store') }));

describe('redisStore on a Redis Cluster', () => {
  it("spreads different users over the masters while each user's keys share one slot", async () => {
    const prefix = uniquePrefix('cluster-spread');
    const store = redisStore(client, { prefix });
    const users = Array.from({ length: 30 }, (_, i) => `{u:user-${i}}`);
    // Several keys per user in one DEL: only possible because they share the user's slot.
    await Promise.all(users.map((tag) => Promise.all([store.set(`${tag}:a`, 'a', 60), store.set(`${tag}:b`, 'b', 60)])));
    await Promise.all(users.map((tag) => store.delete([`${tag}:a`, `${tag}:b`])));
    expect(await Promise.all(users.map((tag) => store.get(`${tag}:b`)))).toEqual(users.map(() => null));

    const slots = await Promise.all(users.map((tag) => client.cluster('KEYSLOT', `${prefix}${tag}:a`) as Promise<number>));
    const sameUser = await client.cluster('KEYSLOT', `${prefix}${users[0]}:b`);
    expect(sameUser).toBe(slots[0]);
    const owners = new Set(await Promise.all(slots.map(async (slot) => ownerOf(slot))));
    expect(owners.size).toBeGreaterThan(1);
  });

  it('recovers when a master has lost its scripts (SCRIPT FLUSH, restart, failover)', async () => {
    const store = redisStore(client, { prefix: uniquePrefix('cluster-noscript') });
    await store.set('{u:1}:challenge', 'id-1', 60);
    expect(await countAttempt(store, '{u:1}')).toBe(1);
    await Promise.all(client.nodes('master').map((node) => node.script('FLUSH')));
    const counts = await Promise.all(Array.from({ length: 10 }, () => countAttempt(store, '{u:1}')));
    expect([...counts].sort((a, b) => a - b)).toEqual([2, 3, 4, 5, 6, 7, 8, 9, 10, 11]);
    await Promise.all(client.nodes('master').map((node) => node.script('FLUSH')));
    expect((await store.get('{u:1}:challenge'))?.value).toBe('id-1');
    expect(await store.delete(['{u:1}:challenge'], 'id-1')).toBe(true);
  });

  it('rejects at once, instead of queueing, when the Cluster client is not ready and enableOfflineQueue is false', async () => {
    if (!cluster) throw new Error('no cluster');
    const offline = cluster.connect({ enableOfflineQueue: false, lazyConnect: true });
    try {
      const store = redisStore(offline, { prefix: uniquePrefix('cluster-offline') });
      await expect(countAttempt(store, '{u:1}')).rejects.toThrow();
      await expect(store.get('{u:1}:k')).rejects.toThrow();
      await expect(store.set('{u:1}:k', 'v', 60)).rejects.toThrow();
    } finally {
      await closeClient(offline);
    }
  });
});

async function ownerOf(slot: number): Promise<string> {
  const ranges = await client.cluster('SLOTS');
  const master = ranges.find(([from, to]) => slot >= from && slot <= to)?.[2];
  if (!master) throw new Error(`slot ${slot} has no owner`);
  return `${master[0]}:${master[1]}`;
}
