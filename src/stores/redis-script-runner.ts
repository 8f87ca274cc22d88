// The store's scripts run through the app's Redis client, and the eviction policy read from its masters.
import { evalScript, redisCommands, type RedisClientLike } from '../redis-client';
import type { LuaScript } from './redis-scripts';

export interface ScriptRunner {
  run(script: LuaScript, keys: string[], args?: (string | number)[]): Promise<unknown>;
  /** `maxmemory-policy` of the server (every master of a Cluster); undefined when the client may not ask. */
  evictionPolicy(): Promise<string | undefined>;
  /** True on a Cluster: a script may only take keys of one hash slot. */
  readonly cluster: boolean;
}

export function scriptRunner(client: RedisClientLike): ScriptRunner {
  const redis = redisCommands(client);
  if (!redis) {
    throw new TypeError(
      'redisStore(client) needs an ioredis client (`new Redis()`, `new Redis.Cluster()`) or a node-redis client ' +
        '(`createClient()`, `createCluster()`, `createSentinel()` of the `redis` package, v4 or v5); the client given has neither ' +
        '`call` (ioredis) nor `sendCommand` (node-redis).',
    );
  }
  return {
    cluster: redis.cluster,
    async run(lua, keys, args = []) {
      const reply = await evalScript(redis.send, lua, [String(keys.length), ...keys, ...args.map(String)]);
      // Redis answers nil as null; undefined means a callback-style API that answered nothing, and
      // reading it as "no value" could let a counter or a lockout slip: fail the request instead.
      if (reply === undefined)
        throw new Error(`redisStore: the client gave no answer to the ${lua.name} script (a callback-style client?)`);
      return reply;
    },
    async evictionPolicy() {
      const masters = await redis.masters();
      const infos = await Promise.all(masters.map((send) => send('INFO', 'memory')));
      const policies = infos.map(policyFromInfo).filter((policy): policy is string => policy !== undefined);
      // The weakest master decides: one evicting node can drop the lockouts of the users it holds.
      return policies.find((policy) => policy !== 'noeviction') ?? policies[0];
    },
  };
}

function policyFromInfo(info: unknown): string | undefined {
  return typeof info === 'string' ? /^maxmemory_policy:(\S+)/m.exec(info)?.[1] : undefined;
}
