// The one adapter to the app's Redis client (ioredis or node-redis; a server, a Cluster or Sentinel): raw commands, scripts, masters.

/** ioredis `Redis` (a single server, or a Sentinel-managed master) and `Cluster`: any command through `call`. */
export interface IoRedisClientLike {
  call(command: string, ...args: (string | number)[]): Promise<unknown>;
}

/** A node-redis (`redis` v4 or v5) client from `createClient()`; a v4 client in `legacyMode` is used through its `.v4`. */
export interface NodeRedisClientLike {
  sendCommand(args: string[]): Promise<unknown>;
}

/** A node-redis cluster from `createCluster()`: it routes a command by the key given first. */
export interface NodeRedisClusterLike {
  sendCommand(firstKey: string | undefined, isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  masters: unknown;
}

/** A node-redis v5 Sentinel client from `createSentinel()`: every command goes to the current master. */
export interface NodeRedisSentinelLike {
  sendCommand(isReadonly: boolean | undefined, args: string[]): Promise<unknown>;
  getMasterNode(): unknown;
}

/** An ioredis `Redis` or `Cluster`, or a node-redis client, cluster or Sentinel client (`redis` v4 or v5). */
export type RedisClientLike = IoRedisClientLike | NodeRedisClientLike | NodeRedisClusterLike | NodeRedisSentinelLike;

/** Sends one command with its arguments, as strings (node-redis refuses numbers), and resolves with Redis's reply. */
export type SendCommand = (command: string, ...args: string[]) => Promise<unknown>;

export interface RedisCommands {
  /** On a Cluster, to the node of the command's key: the first key of EVAL/EVALSHA, else the first argument. */
  send: SendCommand;
  /** A sender to each master (the one server of a plain or Sentinel client), e.g. for INFO; none when the client cannot list them. */
  masters(): Promise<SendCommand[]>;
  /** True for a Cluster client: keys of different hash slots may not share a script. */
  cluster: boolean;
}

type Loose = Record<string, unknown>;
const isFunction = (value: unknown): value is (...args: unknown[]) => unknown => typeof value === 'function';

/**
 * Recognises the client kind by its methods (ioredis has `call`, node-redis `sendCommand`), once; undefined for
 * anything else, so that each caller can say which of its options was wrong.
 */
export function redisCommands(client: unknown): RedisCommands | undefined {
  if (typeof client !== 'object' || client === null) return undefined;
  const whole = client as Loose;
  // node-redis v4 in `legacyMode` has callback-style commands (they return undefined) and the promise API under
  // `.v4` (a getter that throws outside legacy mode, hence the look at the options first).
  const legacy = (whole.options as Loose | undefined)?.legacyMode === true ? (whole.v4 as Loose | undefined) : undefined;
  const commands = legacy ?? whole;
  if (isFunction(commands.call)) return ioredis(commands as unknown as IoRedisClientLike);
  if (!isFunction(commands.sendCommand)) return undefined;
  if (Array.isArray(whole.masters)) return nodeRedisCluster(whole as unknown as NodeRedisClusterLike);
  if (isFunction(whole.getMasterNode))
    return single((command, ...args) => (whole as unknown as NodeRedisSentinelLike).sendCommand(false, [command, ...args]));
  return single(nodeRedisSender(commands as unknown as NodeRedisClientLike));
}

function nodeRedisSender(client: NodeRedisClientLike): SendCommand {
  return (command, ...args) => client.sendCommand([command, ...args]);
}

function single(send: SendCommand): RedisCommands {
  return { send, masters: () => Promise.resolve([send]), cluster: false };
}

function ioredis(client: IoRedisClientLike): RedisCommands {
  const sender =
    (node: IoRedisClientLike): SendCommand =>
    (command, ...args) =>
      node.call(command, ...args);
  const nodes = (client as { nodes?: unknown }).nodes;
  return {
    send: sender(client),
    cluster: isFunction(nodes),
    // A Cluster lists its masters; a plain or Sentinel client is its own one server.
    masters: () =>
      Promise.resolve(isFunction(nodes) ? (nodes.call(client, 'master') as IoRedisClientLike[]).map(sender) : [sender(client)]),
  };
}

function nodeRedisCluster(cluster: NodeRedisClusterLike): RedisCommands {
  const whole = cluster as unknown as Loose;
  return {
    cluster: true,
    send: (command, ...args) => cluster.sendCommand(/^EVAL(SHA)?$/i.test(command) ? args[2] : args[0], false, [command, ...args]),
    // `masters` lists them (v4 and v5), and `nodeClient(master)` gives (or connects) a client of each.
    async masters() {
      const { masters, nodeClient } = whole;
      if (!Array.isArray(masters) || !isFunction(nodeClient)) return [];
      const clients = (await Promise.all(masters.map((master) => nodeClient.call(cluster, master)))) as NodeRedisClientLike[];
      return clients.map(nodeRedisSender);
    },
  };
}

/**
 * EVALSHA first; on NOSCRIPT (after SCRIPT FLUSH, a restart, a failover, or on a Cluster node that has not seen the
 * script yet) EVAL sends the source, and Redis caches it, so the next call is back on EVALSHA.
 * `script`: its source and the SHA1 Redis knows it by; `numKeysKeysAndArgs`: what follows the script in EVAL.
 */
export async function evalScript(
  send: SendCommand,
  script: { source: string; sha1: string },
  numKeysKeysAndArgs: string[],
): Promise<unknown> {
  try {
    return await send('EVALSHA', script.sha1, ...numKeysKeysAndArgs);
  } catch (error) {
    if (!(error instanceof Error) || !error.message.startsWith('NOSCRIPT')) throw error;
    return send('EVAL', script.source, ...numKeysKeysAndArgs);
  }
}
