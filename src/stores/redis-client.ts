// The Redis client the store talks through: runs a script by its SHA1, sends its source when Redis lost it.
import type { LuaScript } from './redis-scripts';

/** The ioredis methods the store calls; `Redis` (single server or Sentinel) and `Cluster` both fit. */
export interface RedisClientLike {
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  info?(section: string): Promise<string>;
}

export interface ScriptRunner {
  run(script: LuaScript, keys: string[], args?: (string | number)[]): Promise<unknown>;
  /** `maxmemory-policy` of the server (every master of a Cluster); undefined when the client may not ask. */
  evictionPolicy(): Promise<string | undefined>;
}

const CLIENT_METHODS = ['evalsha', 'eval'] as const;

export function scriptRunner(client: RedisClientLike): ScriptRunner {
  const missing = CLIENT_METHODS.filter((name) => typeof (client as unknown as Record<string, unknown> | null)?.[name] !== 'function');
  if (missing.length > 0) {
    throw new TypeError(`redisStore(client) needs an ioredis \`Redis\` or \`Cluster\` instance; the client given lacks ${missing.join(', ')}.`);
  }
  return {
    async run(lua, keys, args = []) {
      // EVALSHA first; NOSCRIPT after SCRIPT FLUSH, a restart, a failover, or on a Cluster node that has
      // not seen the script yet: EVAL sends it (and caches it), so the next call is back on EVALSHA.
      try {
        return await client.evalsha(lua.sha1, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        return client.eval(lua.source, keys.length, ...keys, ...args);
      }
    },
    async evictionPolicy() {
      const masters = clusterMasters(client) ?? [client];
      const answers = await Promise.all(masters.map(async (node) => policyFromInfo(await node.info?.('memory'))));
      const policies = answers.filter((policy): policy is string => policy !== undefined);
      // The weakest master decides: one evicting node can drop the lockouts of the users it holds.
      return policies.find((policy) => policy !== 'noeviction') ?? policies[0];
    },
  };
}

function clusterMasters(client: RedisClientLike): RedisClientLike[] | undefined {
  const nodes = (client as { nodes?: unknown }).nodes;
  return typeof nodes === 'function' ? (nodes.call(client, 'master') as RedisClientLike[]) : undefined;
}

function policyFromInfo(info: unknown): string | undefined {
  return typeof info === 'string' ? /^maxmemory_policy:(\S+)/m.exec(info)?.[1] : undefined;
}
