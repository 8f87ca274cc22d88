// A real Redis connection for tests, and a key prefix of its own so that parallel test files never collide.
import Redis from 'ioredis';
import { randomBytes } from 'node:crypto';

export const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

export function createRedis(): Redis {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1, lazyConnect: false });
}

export function uniquePrefix(label = 'test'): string {
  return `mfa-test:${label}:${randomBytes(4).toString('hex')}:`;
}
