// The shared store on Redis (or Redis Cluster) through an ioredis client: what a multi-instance deployment uses.
import type { MfaStore, StoredValue } from './types';
import { DELETE_IF_EQUALS, GET_WITH_TTL, INCREMENT, runScript, type RedisClientLike } from './redis-scripts';
import { NO_EXPIRY_TTL_MS, checkTtlSeconds } from './ttl';

export type { RedisClientLike } from './redis-scripts';

export interface RedisStoreOptions {
  /**
   * Put in front of every key, so the library's keys stay apart from the app's. Must not contain `{` or `}`:
   * the keys carry their own per-user hash tag, and a brace in the prefix would change which Cluster slot they land on.
   * Default: `'mfa:'`.
   */
  prefix?: string;
}

const CLIENT_METHODS = ['evalsha', 'eval', 'set', 'del'] as const;

/**
 * A store on Redis, shared by every instance of the app, so lockouts and counters hold across them
 * and across restarts.
 *
 * `client` is an ioredis `Redis` or `Cluster` (ioredis is an optional peer dependency; only its
 * instance is used here). Do not give it a `keyPrefix`; use `prefix` instead.
 *
 * Make a dead Redis fail fast. A store error refuses the request (HTTP 503, fail closed), but with
 * ioredis defaults a command waits in the offline queue through up to 20 reconnect attempts first.
 * Create the client with `maxRetriesPerRequest: 1` and a `commandTimeout` (e.g. 1000 ms), or with
 * `enableOfflineQueue: false` (then commands sent before the first connect fail too):
 *
 * ```ts
 * const redis = new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, commandTimeout: 1000 });
 * app.use(middleware({ store: redisStore(redis), ... }));
 * ```
 *
 * Every operation is one command or one Lua script touching one key, except `delete`, which sends one
 * DEL: on a Cluster its keys must share a hash slot (the library's keys of one user do).
 * `get` reports a key that has no TTL (none of ours) as `Number.MAX_SAFE_INTEGER` ms left.
 */
export function redisStore(client: RedisClientLike, options: RedisStoreOptions = {}): MfaStore {
  const missing = CLIENT_METHODS.filter((name) => typeof (client as unknown as Record<string, unknown> | null)?.[name] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(`redisStore(client) needs an ioredis \`Redis\` or \`Cluster\` instance; the client given lacks ${missing.join(', ')}.`);
  }
  const prefix = options.prefix ?? 'mfa:';
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new TypeError(`redisStore \`prefix\` must be a string without \`{\` or \`}\` (keys carry their own Cluster hash tag); got ${JSON.stringify(prefix)}.`);
  }
  const k = (key: string): string => prefix + key;

  return {
    async increment(key, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      return Number(await runScript(client, INCREMENT, k(key), ttlSeconds));
    },

    async setIfAbsent(key, value, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      return (await client.set(k(key), value, 'EX', ttlSeconds, 'NX')) === 'OK';
    },

    async set(key, value, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      await client.set(k(key), value, 'EX', ttlSeconds);
    },

    async get(key) {
      const reply = await runScript(client, GET_WITH_TTL, k(key));
      if (!Array.isArray(reply)) return null;
      const [value, pttl] = reply as [unknown, unknown];
      const ttlMs = Number(pttl);
      return { value: String(value), ttlMs: ttlMs < 0 ? NO_EXPIRY_TTL_MS : ttlMs } satisfies StoredValue;
    },

    async deleteIfEquals(key, expected) {
      return Number(await runScript(client, DELETE_IF_EQUALS, k(key), expected)) === 1;
    },

    async delete(...keys) {
      if (keys.length === 0) return;
      await client.del(...keys.map(k));
    },
  };
}
