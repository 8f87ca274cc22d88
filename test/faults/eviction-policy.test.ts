// A Redis that may evict keys could drop a lockout under memory pressure: the library says so at start-up.
import { createMfa, redisStore } from '../../src';
import { closeClient } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { fastFailingClient, privateRedis, waitUntilReady, type PrivateRedis } from '../helpers/redis-server';

let server: PrivateRedis;
let client: ReturnType<typeof fastFailingClient>;

beforeAll(async () => {
  server = privateRedis(await freePort());
  await server.start();
  client = fastFailingClient(server.port);
  await waitUntilReady(client);
});

afterAll(async () => {
  await closeClient(client);
  await server.kill();
});

const provider = { sendCode: async () => ({ id: 'm' }), verifyCode: async () => false };

async function warningsFor(policy: string): Promise<string[]> {
  await client.config('SET', 'maxmemory-policy', policy);
  const warnings: string[] = [];
  createMfa({
    bandwidth: provider,
    getUser: () => null,
    // With somewhere to enrol, the eviction check is the only thing that may warn.
    enrolment: { savePhoneNumber: () => undefined, required: false },
    store: redisStore(client, { prefix: `evict-${policy}:` }),
    logger: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
  });
  for (let i = 0; i < 50 && warnings.length === 0; i += 1) await new Promise((r) => setTimeout(r, 20));
  return warnings;
}

describe('the eviction policy, read once at start-up', () => {
  test.each(['allkeys-lru', 'volatile-lru', 'volatile-ttl', 'allkeys-random'])('%s gets a warning naming the fix', async (policy) => {
    const warnings = await warningsFor(policy);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toContain(`"${policy}"`);
    expect(warnings[0]).toContain('noeviction');
  });

  test('noeviction gets none', async () => {
    const warnings = await warningsFor('noeviction');
    await new Promise((r) => setTimeout(r, 200));
    expect(warnings).toEqual([]);
  });
});
