// node-redis clients for tests (the `redis` package v5, and v4 installed as the `redis4` alias), connected and closed alike.
import { createClient, createCluster, createSentinel } from 'redis';
import { createClient as createClientV4 } from 'redis4';
import { REDIS_URL } from './redis';

export type NodeRedisV5 = ReturnType<typeof createClient>;
export type NodeRedisV4 = ReturnType<typeof createClientV4>;
export type NodeRedisClusterV5 = ReturnType<typeof createCluster>;
export type NodeRedisSentinelV5 = ReturnType<typeof createSentinel>;

/** A client (`disconnect()`) or a v5 Sentinel client (`close()` only). */
type Closable = {
  isOpen: boolean;
  on(event: 'error', listener: (error: unknown) => void): unknown;
} & ({ disconnect(): Promise<void> } | { close(): Promise<void> });

// Without a listener, node-redis turns a dropped connection into an uncaught 'error' event.
function quiet<T extends Closable>(client: T): T {
  client.on('error', () => undefined);
  return client;
}

/** A connected node-redis v5 client (default: the tests' Redis, database 15). */
export async function nodeRedisV5(url = REDIS_URL): Promise<NodeRedisV5> {
  const client = quiet(createClient({ url }));
  await client.connect();
  return client;
}

/** A connected node-redis v4 client; `legacyMode` gives the callback API with the promise one under `.v4`. */
export async function nodeRedisV4(url = REDIS_URL, options: { legacyMode?: boolean } = {}): Promise<NodeRedisV4> {
  const client = quiet(createClientV4({ url, ...options }));
  await client.connect();
  return client;
}

/** A connected node-redis v5 cluster client on these seed nodes (test/helpers/redis-cluster.ts). */
export async function nodeRedisClusterV5(nodes: { host: string; port: number }[]): Promise<NodeRedisClusterV5> {
  const cluster = quiet(createCluster({ rootNodes: nodes.map(({ host, port }) => ({ url: `redis://${host}:${port}` })) }));
  await cluster.connect();
  return cluster;
}

/** A connected node-redis v5 Sentinel client of the master these sentinels watch (test/helpers/redis-sentinel.ts). */
export async function nodeRedisSentinelV5(name: string, sentinels: { host: string; port: number }[]): Promise<NodeRedisSentinelV5> {
  const sentinel = quiet(createSentinel({ name, sentinelRootNodes: sentinels }));
  await sentinel.connect();
  return sentinel;
}

export async function closeNodeRedis(client: Closable | undefined): Promise<void> {
  if (!client?.isOpen) return;
  await ('disconnect' in client ? client.disconnect() : client.close());
}
