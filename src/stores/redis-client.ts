// The Redis client the store talks through (ioredis or node-redis): runs a script by its SHA1, sends its source when Redis lost it.
import type { LuaScript } from './redis-scripts';

/** The ioredis methods the store calls; `Redis` (single server or Sentinel) and `Cluster` both fit. */
export interface IoRedisClientLike {
  evalsha(sha1: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  info?(section: string): Promise<string>;
}

/** Keys and arguments of a node-redis script call. */
export interface NodeRedisScriptOptions {
  keys: string[];
  arguments: string[];
}

/** The node-redis (`redis` v4 and v5) methods the store calls; `createClient()` and `createCluster()` both fit. */
export interface NodeRedisClientLike {
  evalSha(sha1: string, options: NodeRedisScriptOptions): Promise<unknown>;
  eval(script: string, options: NodeRedisScriptOptions): Promise<unknown>;
}

/** An ioredis `Redis` or `Cluster`, or a node-redis client or cluster (`redis` v4 or v5). */
export type RedisClientLike = IoRedisClientLike | NodeRedisClientLike;

export interface ScriptRunner {
  run(script: LuaScript, keys: string[], args?: (string | number)[]): Promise<unknown>;
  /** `maxmemory-policy` of the server (every master of a Cluster); undefined when the client may not ask. */
  evictionPolicy(): Promise<string | undefined>;
}

/** One client kind, reduced to what the runner needs. */
interface Adapter {
  evalsha(sha1: string, keys: string[], args: (string | number)[]): Promise<unknown>;
  eval(source: string, keys: string[], args: (string | number)[]): Promise<unknown>;
  /** `INFO memory` of the server, or of every master of a Cluster. */
  memoryInfos(): Promise<unknown[]>;
}

type Loose = Record<string, unknown>;
const isFunction = (value: unknown): value is (...args: never[]) => unknown => typeof value === 'function';

export function scriptRunner(client: RedisClientLike): ScriptRunner {
  const adapter = adapt(client);
  return {
    async run(lua, keys, args = []) {
      // EVALSHA first; NOSCRIPT after SCRIPT FLUSH, a restart, a failover, or on a Cluster node that has
      // not seen the script yet: EVAL sends it (and caches it), so the next call is back on EVALSHA.
      let reply: unknown;
      try {
        reply = await adapter.evalsha(lua.sha1, keys, args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
        reply = await adapter.eval(lua.source, keys, args);
      }
      // Redis answers nil as null; undefined means a callback-style API that answered nothing, and
      // reading it as "no value" could let a counter or a lockout slip: fail the request instead.
      if (reply === undefined)
        throw new Error(`redisStore: the client gave no answer to the ${lua.name} script (a callback-style client?)`);
      return reply;
    },
    async evictionPolicy() {
      const infos = await adapter.memoryInfos();
      const policies = infos.map(policyFromInfo).filter((policy): policy is string => policy !== undefined);
      // The weakest master decides: one evicting node can drop the lockouts of the users it holds.
      return policies.find((policy) => policy !== 'noeviction') ?? policies[0];
    },
  };
}

/** Recognises the client kind by its method names: node-redis spells `evalSha`, ioredis `evalsha`. */
function adapt(client: RedisClientLike): Adapter {
  const loose = (client ?? {}) as unknown as Loose;
  // node-redis v4 in `legacyMode` has callback-style commands (they return undefined) and the promise API under
  // `.v4` (a getter that throws outside legacy mode, hence the look at the options first).
  const legacy = (loose.options as Loose | undefined)?.legacyMode === true ? (loose.v4 as Loose | undefined) : undefined;
  if (legacy && isFunction(legacy.evalSha) && isFunction(legacy.eval)) return nodeRedis(legacy as unknown as NodeRedisClientLike, loose);
  if (isFunction(loose.evalSha) && isFunction(loose.eval)) return nodeRedis(client as NodeRedisClientLike, loose);
  if (isFunction(loose.evalsha) && isFunction(loose.eval)) return ioredis(client as IoRedisClientLike);
  throw new TypeError(
    'redisStore(client) needs an ioredis client (`new Redis()`, `new Redis.Cluster()`) or a node-redis client ' +
      '(`createClient()`, `createCluster()` of the `redis` package, v4 or v5); the client given has neither ' +
      '`evalsha` and `eval` (ioredis) nor `evalSha` and `eval` (node-redis).',
  );
}

function ioredis(client: IoRedisClientLike): Adapter {
  return {
    evalsha: (sha1, keys, args) => client.evalsha(sha1, keys.length, ...keys, ...args),
    eval: (source, keys, args) => client.eval(source, keys.length, ...keys, ...args),
    async memoryInfos() {
      const nodes = (client as { nodes?: unknown }).nodes;
      const masters = typeof nodes === 'function' ? (nodes.call(client, 'master') as IoRedisClientLike[]) : [client];
      return Promise.all(masters.map((node) => (node.info ? node.info('memory') : Promise.resolve(undefined))));
    },
  };
}

/** `commands` runs the scripts; `whole` is the client as given (for a legacy-mode v4 client, not its `.v4`). */
function nodeRedis(commands: NodeRedisClientLike, whole: Loose): Adapter {
  // node-redis sends only strings (and buffers): numbers are refused, not converted.
  const options = (keys: string[], args: (string | number)[]): NodeRedisScriptOptions => ({ keys, arguments: args.map(String) });
  return {
    evalsha: (sha1, keys, args) => commands.evalSha(sha1, options(keys, args)),
    eval: (source, keys, args) => commands.eval(source, options(keys, args)),
    async memoryInfos() {
      // A cluster (v4 and v5) lists its masters in `masters`, and `nodeClient(master)` gives (or connects) a client of each.
      const masters = whole.masters;
      if (Array.isArray(masters) && isFunction(whole.nodeClient)) {
        const nodeClient = whole.nodeClient as (node: unknown) => unknown;
        return Promise.all(masters.map(async (master) => memoryInfoOf(await nodeClient.call(whole, master))));
      }
      return [await memoryInfoOf(commands)];
    },
  };
}

async function memoryInfoOf(client: unknown): Promise<unknown> {
  const info = (client as Loose | null)?.info;
  return isFunction(info) ? (info as (section: string) => Promise<unknown>).call(client, 'memory') : undefined;
}

function policyFromInfo(info: unknown): string | undefined {
  return typeof info === 'string' ? /^maxmemory_policy:(\S+)/m.exec(info)?.[1] : undefined;
}
