// Starts a throwaway Sentinel deployment (master, replica, three sentinels) on free loopback ports, and tears it down.
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import Redis, { type RedisOptions } from 'ioredis';
import { HOST, ask, baseServerArgs, exited, info, kill, processGroup, startProc, until } from './redis-processes';

const MASTER_NAME = 'mfa-master';

/**
 * What the README advises, on every data node: Sentinel may promote any of them, and a promoted node
 * keeps its own settings. Replicas acknowledge every second, so a lag of 5 s leaves room for a loaded machine.
 */
export const MIN_REPLICAS_TO_WRITE = 1;
export const MIN_REPLICAS_MAX_LAG_SECONDS = 5;
// A master silent for 2 s is down; a stuck failover is given up after 4 s (and retried after 8 s).
const DOWN_AFTER_MS = 2000;
const FAILOVER_TIMEOUT_MS = 4000;

export interface SentinelDeployment {
  readonly name: string;
  readonly sentinels: { host: string; port: number }[];
  /** A Sentinel client set up to fail fast and follow a failover quickly; the caller closes it. */
  connect(options?: RedisOptions): Redis;
  /** The master's port as the first sentinel that answers reports it. */
  masterPort(): Promise<number>;
  /** The ports of the replicas connected to the master. */
  replicaPorts(): Promise<number[]>;
  /** Resolves once every replica has applied everything the master had written when this was called. */
  replicated(): Promise<void>;
  /** SIGKILLs the current master, as a crash would; returns its port. */
  killMaster(): Promise<number>;
  /** Resolves with the new master's port once every sentinel names a master other than `oldPort` and it says it is one. */
  waitForPromotion(oldPort: number): Promise<number>;
  /** Starts a fresh replica of the current master (a crashed node replaced) and waits until the master accepts writes. */
  addReplica(): Promise<number>;
  /** True when the master counts at least `min-replicas-to-write` replicas within the lag, i.e. accepts writes. */
  masterAcceptsWrites(): Promise<boolean>;
  /** SIGSTOP / SIGCONT a data node: a stalled replica, without closing its connection. */
  freeze(port: number): void;
  thaw(port: number): void;
  /** Kills every process and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Ports of the replicas in a master's `INFO replication` (`slave0:ip=...,port=...,state=online,...`). */
function replicasOf(replication: Record<string, string>): number[] {
  return Object.entries(replication)
    .filter(([key]) => /^slave\d+$/.test(key))
    .map(([, value]) => Number(/port=(\d+)/.exec(value)?.[1]));
}

function dataNodeArgs(port: number, replicaOf?: number): string[] {
  return [
    ...baseServerArgs(port),
    '--min-replicas-to-write',
    String(MIN_REPLICAS_TO_WRITE),
    '--min-replicas-max-lag',
    String(MIN_REPLICAS_MAX_LAG_SECONDS),
    // Diskless sync waits 5 s by default for more replicas to join; here one replica should sync at once.
    '--repl-diskless-sync-delay',
    '0',
    ...(replicaOf === undefined ? [] : ['--replicaof', HOST, String(replicaOf)]),
  ];
}

function sentinelArgs(dir: string, port: number, masterPort: number): string[] {
  const file = path.join(dir, `sentinel-${port}.conf`);
  // Sentinel rewrites its config file (ids, epochs, known replicas and sentinels): one file each.
  writeFileSync(
    file,
    [
      `port ${port}`,
      `bind ${HOST}`,
      'daemonize no',
      `dir ${dir}`,
      'logfile ""',
      `sentinel monitor ${MASTER_NAME} ${HOST} ${masterPort} 2`,
      `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
      `sentinel failover-timeout ${MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
      `sentinel parallel-syncs ${MASTER_NAME} 1`,
      '',
    ].join('\n'),
  );
  return [file, '--sentinel'];
}

/** A Sentinel client as the README advises, set to follow a failover quickly; `options` on top. */
function sentinelClient(sentinelPorts: number[], options: RedisOptions): Redis {
  const client = new Redis({
    sentinels: sentinelPorts.map((port) => ({ host: HOST, port })),
    name: MASTER_NAME,
    role: 'master',
    // A command waits at most this long, and nothing queues while no master is known.
    maxRetriesPerRequest: 1,
    commandTimeout: 2000,
    enableOfflineQueue: false,
    // Each reconnect asks the sentinels again: every 100 ms rather than ioredis's up to 2 s.
    retryStrategy: () => 100,
    sentinelRetryStrategy: () => 100,
    connectTimeout: 1000,
    sentinelCommandTimeout: 1000,
    // Not `failoverDetector: true`: in ioredis 5.11 a +switch-master that arrives while the client waits for a
    // sentinel's answer ends the client for good (status "end"). Each reconnect asks the sentinels anyway.
    // A node that answers READONLY was demoted: reconnect and ask again.
    reconnectOnError: (error) => error.message.startsWith('READONLY'),
    ...options,
  });
  // Each failed reconnect during a failover is an 'error' event ("All sentinels are unreachable" once ioredis
  // has asked each sentinel and reached no master): expected here, and unhandled it would be logged.
  client.on('error', () => undefined);
  return client;
}

/** Starts the master, its replica and three sentinels, and waits until the sentinels could run a failover. */
export async function startSentinelDeployment(): Promise<SentinelDeployment> {
  const group = processGroup('mfa-redis-sentinel-');
  const { dir, procs, stop } = group;
  const stopped = () => group.stopped;
  const taken = new Set<number>();

  const sentinelPorts: number[] = [];
  const live = () => sentinelPorts.filter((port) => procs.some((proc) => proc.port === port && !exited(proc)));
  const reportedMaster = async (sentinelPort: number) => {
    const reply = (await ask(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME)) as [string, string] | null;
    return reply ? Number(reply[1]) : undefined;
  };
  const masterPort = async () => {
    for (const port of live()) {
      const reported = await reportedMaster(port).catch(() => undefined);
      if (reported) return reported;
    }
    throw new Error('no sentinel names a master');
  };
  const procOn = (port: number) => {
    const proc = procs.find((candidate) => candidate.port === port && !exited(candidate));
    if (!proc) throw new Error(`no running node of this deployment on port ${port}`);
    return proc;
  };
  const masterAcceptsWrites = async () =>
    Number((await info(await masterPort(), 'replication')).min_slaves_good_slaves) >= MIN_REPLICAS_TO_WRITE;
  const logs = () => procs.map((proc) => `--- port ${proc.port}\n${proc.output.join('').slice(-1500)}`).join('\n');

  try {
    const master = await startProc(taken, dir, (port) => dataNodeArgs(port), procs);
    const replica = await startProc(taken, dir, (port) => dataNodeArgs(port, master.port), procs);
    for (let i = 0; i < 3; i += 1) {
      sentinelPorts.push((await startProc(taken, dir, (port) => sentinelArgs(dir, port, master.port), procs)).port);
    }
    // A failover needs each sentinel to know the replica and the two other sentinels (hello messages every 2 s).
    await until(
      'the sentinels to see the replica and each other',
      async () => {
        for (const port of sentinelPorts) {
          if (!String(await ask(port, 'SENTINEL', 'CKQUORUM', MASTER_NAME)).startsWith('OK 3 usable')) return false;
          const replicas = (await ask(port, 'SENTINEL', 'REPLICAS', MASTER_NAME)) as string[][];
          const known = replicas.map((fields) =>
            Object.fromEntries(fields.flatMap((value, i) => (i % 2 === 0 ? [[value, fields[i + 1]]] : []))),
          );
          if (!known.some((r) => Number(r.port) === replica.port && r.flags === 'slave' && r['master-link-status'] === 'ok')) return false;
        }
        return masterAcceptsWrites();
      },
      30_000,
      200,
    );

    return {
      name: MASTER_NAME,
      sentinels: sentinelPorts.map((port) => ({ host: HOST, port })),
      connect: (options = {}) => sentinelClient(sentinelPorts, options),
      masterPort,
      replicaPorts: async () => replicasOf(await info(await masterPort(), 'replication')),
      async replicated() {
        const replication = await info(await masterPort(), 'replication');
        const written = Number(replication.master_repl_offset);
        const replicaPorts = replicasOf(replication);
        if (replicaPorts.length === 0) throw new Error('the master has no replica');
        await until(
          'the replicas to apply what the master wrote',
          async () => {
            for (const replicaPort of replicaPorts) {
              if (Number((await info(replicaPort, 'replication')).slave_repl_offset) < written) return false;
            }
            return true;
          },
          20_000,
          50,
          stopped,
        );
      },
      async killMaster() {
        const port = await masterPort();
        await kill(procOn(port));
        return port;
      },
      async waitForPromotion(oldPort) {
        try {
          return await until(
            'a replica to be promoted',
            async () => {
              const reports = await Promise.all(live().map(reportedMaster));
              const [first] = reports;
              if (!first || first === oldPort || reports.some((port) => port !== first)) return undefined;
              return (await info(first, 'replication')).role === 'master' ? first : undefined;
            },
            45_000,
            100,
            stopped,
          );
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${logs()}`, { cause: error });
        }
      },
      async addReplica() {
        const port = await masterPort();
        const replica = await startProc(taken, dir, (own) => dataNodeArgs(own, port), procs);
        await until('the master to accept writes with its new replica', masterAcceptsWrites, 30_000, 100, stopped);
        return replica.port;
      },
      masterAcceptsWrites,
      freeze: (port) => void procOn(port).child.kill('SIGSTOP'),
      thaw: (port) => void procOn(port).child.kill('SIGCONT'),
      stop,
    };
  } catch (error) {
    const details = logs();
    await stop();
    throw new Error(`${(error as Error).message}\n${details}`, { cause: error });
  }
}
