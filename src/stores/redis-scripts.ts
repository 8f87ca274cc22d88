// The Lua scripts behind the Redis store, and how they are run: EVALSHA first, EVAL when Redis lost the script.
import { createHash } from 'node:crypto';

/** The ioredis methods the store calls; both `Redis` and `Cluster` from ioredis fit. */
export interface RedisClientLike {
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  set(key: string, value: string, secondsToken: 'EX', seconds: number): Promise<unknown>;
  set(key: string, value: string, secondsToken: 'EX', seconds: number, nx: 'NX'): Promise<unknown>;
  del(...keys: string[]): Promise<number>;
}

export interface LuaScript {
  source: string;
  sha1: string;
}

function script(source: string): LuaScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

// Every script touches only KEYS[1], so it runs on whichever Cluster node owns that key's slot.

/**
 * INCR and its expiry in one step: a crash between the two could otherwise leave a counter that never
 * expires, i.e. a permanent lockout. The TTL is set only on a fresh key (or one that somehow has none),
 * so retrying never pushes the window further out.
 */
export const INCREMENT = script(`
local count = redis.call('INCR', KEYS[1])
if count == 1 or redis.call('PTTL', KEYS[1]) == -1 then
  redis.call('EXPIRE', KEYS[1], ARGV[1])
end
return count
`);

/** Value and remaining life read together, so the pair always describes the same key. */
export const GET_WITH_TTL = script(`
local value = redis.call('GET', KEYS[1])
if not value then return false end
return { value, redis.call('PTTL', KEYS[1]) }
`);

/** Compare-and-delete: of many callers holding the same expected value, exactly one gets 1. */
export const DELETE_IF_EQUALS = script(`
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
`);

function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/**
 * Runs a script by its SHA1 and falls back to sending the source when Redis answers NOSCRIPT
 * (after SCRIPT FLUSH, a restart, a failover, or on a Cluster node that has not seen it yet).
 * EVAL caches the script again, so the next call is back on EVALSHA. Any other error propagates.
 */
export async function runScript(client: RedisClientLike, lua: LuaScript, key: string, ...args: (string | number)[]): Promise<unknown> {
  try {
    return await client.evalsha(lua.sha1, 1, key, ...args);
  } catch (error) {
    if (!isNoScript(error)) throw error;
    return client.eval(lua.source, 1, key, ...args);
  }
}
