// A Cluster master that dies (no replica to take over): the users whose keys it held are refused, never let through.
import type { Cluster, Redis } from 'ioredis';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { redisStore } from '../../src';
import { createTestApp } from '../helpers/create-app';
import { codeFor, login, send, verify } from '../helpers/flow';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { deleteUnder } from '../helpers/store-keys';
import { startRedisCluster, type LocalRedisCluster } from '../helpers/redis-cluster';

jest.setTimeout(60_000);

let cluster: LocalRedisCluster | undefined;
let client: Cluster | undefined;
let sessions: Redis | undefined;
let emulator: BandwidthEmulator | undefined;
const PREFIX = uniquePrefix('cluster-down');

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
  sessions = createRedis();
  cluster = await startRedisCluster();
  client = cluster.connect();
});
afterAll(async () => {
  // A Cluster client cut off from a crashed node keeps a reconnect timer for a while after disconnect(): outwaited.
  if (client) await closeClient(client);
  // The sessions went to the shared Redis; the cluster's keys go away with its servers.
  if (sessions) await deleteUnder(sessions, PREFIX);
  if (sessions) await closeClient(sessions);
  await cluster?.stop();
  await emulator?.close();
});

test("when the master holding a user's keys is down, verify and send answer 503 and Bandwidth is not asked", async () => {
  if (!cluster || !client || !sessions || !emulator) throw new Error('setup failed');
  const prefix = PREFIX;
  // Sessions stay on the plain Redis, so only the MFA store loses a node.
  const app = createTestApp({ redis: sessions, prefix, emulator, mfa: { store: redisStore(client, { prefix: `${prefix}mfa:` }) } });
  const cookie = await login(app);
  expect((await send(app, cookie)).status).toBe(200);
  const code = codeFor(emulator);

  await cluster.crash(await portHolding(client, `${prefix}mfa:*:challenge`));

  const verified = await verify(app, cookie, code);
  expect(verified.status).toBe(503);
  expect(verified.body).toMatchObject({ error: 'service_unavailable' });
  expect(verified.headers['retry-after']).toMatch(/^\d+$/);
  const resent = await send(app, await login(app));
  expect(resent.status).toBe(503);
  expect(emulator.requestCount('verify')).toBe(0);
  expect(emulator.requestCount('messaging')).toBe(1);
});

/** Test-only: the port of the master that holds the one key matching `pattern`. */
async function portHolding(cluster: Cluster, pattern: string): Promise<number> {
  for (const node of cluster.nodes('master')) {
    const [, keys] = await node.scan('0', 'MATCH', pattern, 'COUNT', 10_000);
    if (keys.length > 0) return Number(node.options.port);
  }
  throw new Error(`no master holds a key matching ${pattern}`);
}
