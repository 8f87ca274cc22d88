// The Redis store and the send guard through a node-redis v5 Sentinel client (`createSentinel()`), on a Sentinel deployment.
import type Redis from 'ioredis';
import request from 'supertest';
import { redisStore } from '../../src/stores/redis';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { countAttempt } from '../helpers/attempts';
import { createTestApp } from '../helpers/create-app';
import { JSON_HEADERS } from '../helpers/flow';
import { closeNodeRedis, nodeRedisSentinelV5, type NodeRedisSentinelV5 } from '../helpers/node-redis';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { ask } from '../helpers/redis-processes';
import { startSentinelDeployment, type SentinelDeployment } from '../helpers/redis-sentinel';
import { deleteUnder } from '../helpers/store-keys';
import { describeStoreContract } from '../stores/store-contract';

// The deployment waits for its sentinels to see each other (hello messages every 2 s).
jest.setTimeout(60_000);

let deployment: SentinelDeployment | undefined;
let sentinel: NodeRedisSentinelV5 | undefined;
let emulator: BandwidthEmulator | undefined;
let sessions: Redis | undefined;
const SESSIONS_PREFIX = uniquePrefix('sentinel-node');

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
  sessions = createRedis();
  deployment = await startSentinelDeployment();
  sentinel = await nodeRedisSentinelV5(deployment.name, deployment.sentinels);
});
afterAll(async () => {
  await closeNodeRedis(sentinel);
  await deployment?.stop();
  // The sessions went to the shared Redis; the store's keys go away with the deployment.
  if (sessions) await deleteUnder(sessions, SESSIONS_PREFIX);
  if (sessions) await closeClient(sessions);
  await emulator?.close();
});

const client = () => sentinel as NodeRedisSentinelV5;

describeStoreContract('redisStore on a node-redis v5 Sentinel client', () =>
  redisStore(client(), { prefix: uniquePrefix('sentinel-node-store') }),
);

describe('redisStore on a node-redis v5 Sentinel client', () => {
  it("recovers when the master has lost its scripts, and reads the master's eviction policy", async () => {
    if (!deployment) throw new Error('setup failed');
    const store = redisStore(client(), { prefix: uniquePrefix('sentinel-node-noscript') });
    expect(await countAttempt(store, '{u:1}')).toBe(1);
    const master = await deployment.masterPort();
    await ask(master, 'SCRIPT', 'FLUSH');
    expect(await countAttempt(store, '{u:1}')).toBe(2);
    expect(await store.evictionPolicy?.()).toBe('noeviction');
    await ask(master, 'CONFIG', 'SET', 'maxmemory-policy', 'allkeys-lru');
    expect(await store.evictionPolicy?.()).toBe('allkeys-lru');
  });
});

describe('sendRateLimit on a node-redis v5 Sentinel client', () => {
  test('counts per address on the master, also after it lost its scripts', async () => {
    if (!deployment || !sessions || !emulator) throw new Error('setup failed');
    const app = createTestApp({
      redis: sessions,
      prefix: SESSIONS_PREFIX,
      emulator,
      beforeSend: (instance) => [instance.sendRateLimit({ redis: client(), limit: 2, prefix: `${SESSIONS_PREFIX}ip:` })],
    });
    const anonymous = () => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
    expect((await anonymous()).status).toBe(401);
    await ask(await deployment.masterPort(), 'SCRIPT', 'FLUSH');
    expect((await anonymous()).status).toBe(401);
    expect((await anonymous()).body).toMatchObject({ error: 'send_limit_reached' });
  });
});
