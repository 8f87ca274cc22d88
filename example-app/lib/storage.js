// Where sessions and the library's counters live: Redis when REDIS_URL is set, this process's memory otherwise.
'use strict';

const { once } = require('node:events');
const mfa = require('express-bandwidth-mfa');

const FIRST_CONNECT_WAIT_MS = 3000;

/**
 * @typedef {object} Storage
 * @property {import('express-session').Store} [sessionStore]  undefined means express-session's own memory store
 * @property {import('express-bandwidth-mfa').MfaStore} mfaStore
 * @property {import('ioredis').Redis} [redis]
 * @property {() => boolean} available
 * @property {() => Promise<void>} close
 */

/**
 * @param {{ redisUrl?: string, redisPrefix: string }} config  REDIS_URL and REDIS_KEY_PREFIX
 * @param {{ warn(m: string): void, error(m: string): void }} logger
 * @returns {Promise<Storage>}
 */
async function createStorage({ redisUrl, redisPrefix }, logger) {
  if (!redisUrl) {
    logger.warn(
      "REDIS_URL is not set: sessions, attempt counters and lockouts live in this process's memory. They are lost on restart and not shared between instances; set REDIS_URL beyond a demo.",
    );
    return { mfaStore: mfa.memoryStore({ logger }), available: () => true, close: async () => undefined };
  }
  // Loaded only here so that the memory setup runs without Redis packages.
  const { Redis } = require('ioredis');
  const { RedisStore } = require('connect-redis');
  const redis = new Redis(redisUrl, {
    // A dead Redis must fail requests at once (a 503), not queue them while ioredis reconnects.
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 1000,
    retryStrategy: (attempt) => Math.min(attempt * 200, 2000),
    // Shutting down should not wait long for a server that is gone.
    disconnectTimeout: 500,
  });
  const where = describe(redisUrl);
  let down = false;
  redis.on('error', (error) => {
    // ioredis repeats the error on every reconnect attempt; one line per outage is enough.
    const code = /** @type {NodeJS.ErrnoException} */ (error).code;
    if (!down) logger.error(`Redis at ${where} is unavailable (${code ?? error.name}); requests get 503 until it is back.`);
    down = true;
  });
  redis.on('ready', () => {
    if (down) logger.warn(`Redis at ${where} is back.`);
    down = false;
  });
  await waitForReady(redis);

  return {
    sessionStore: new RedisStore({ client: redis, prefix: `${redisPrefix}sess:` }),
    mfaStore: mfa.redisStore(redis, { prefix: `${redisPrefix}mfa:` }),
    // The per-address limits count here too (lib/rate-limits.js).
    redis,
    available: () => redis.status === 'ready',
    close: async () => {
      // QUIT lets pending replies arrive; a client that is not connected is just stopped.
      if (redis.status === 'ready') await redis.quit().catch(() => redis.disconnect());
      else redis.disconnect();
    },
  };
}

/**
 * Waits a little for the first connection; an unreachable Redis is not fatal, requests just get 503.
 * @param {import('ioredis').Redis} redis
 */
async function waitForReady(redis) {
  const timeout = new Promise((resolve) => setTimeout(resolve, FIRST_CONNECT_WAIT_MS).unref());
  await Promise.race([once(redis, 'ready'), timeout]).catch(() => undefined);
}

/**
 * Host and port only: a REDIS_URL may hold a password.
 * @param {string} url
 */
function describe(url) {
  try {
    const { hostname, port } = new URL(url);
    return `${hostname}:${port || 6379}`;
  } catch {
    return 'REDIS_URL';
  }
}

module.exports = { createStorage };
