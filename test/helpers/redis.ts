// A real Redis connection for tests, and a key prefix of its own so that parallel test files never collide.
import Redis, { type Cluster } from 'ioredis';
import { randomBytes } from 'node:crypto';

/** Database 15 by default: the tests keep out of the index apps and benchmarks use on a shared server. */
export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379/15';

/** Set by test/setup/global-setup.js for each jest run, so the teardown finds exactly this run's keys. */
export const TEST_RUN = process.env.MFA_TEST_RUN || 'no-run';

export function createRedis(): Redis {
  return withErrorListener(new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false }));
}

/**
 * ioredis writes "[ioredis] Unhandled error event" to stderr for each connection error nobody listens to, even on a
 * passing run; a test sees a dead Redis through its commands' rejections, so the event itself is dropped here.
 */
export function withErrorListener<T extends { on(event: 'error', listener: (error: Error) => void): unknown }>(client: T): T {
  client.on('error', () => undefined);
  return client;
}

/**
 * Disconnects and waits until the client has let go of its socket and timers, so the jest worker can exit at
 * once when its last suite ends (jest force-exits a worker still busy 500 ms later). `disconnect()` alone returns
 * before the socket closes and leaves ioredis's 2 s guard timer running until it does; a client cut off from a
 * killed server stays "reconnecting" meanwhile (a Cluster also after one of its nodes crashed): outwaited here.
 */
export async function closeClient(client: Redis | Cluster): Promise<void> {
  client.disconnect();
  for (let i = 0; i < 150 && client.status !== 'end'; i += 1) await new Promise((r) => setTimeout(r, 20));
}

export function uniquePrefix(label = 'test'): string {
  return `mfa-test:${TEST_RUN}:${label}:${randomBytes(4).toString('hex')}:`;
}
