// Starts a throwaway Sentinel deployment (master, replica, three sentinels) on free loopback ports, and tears it down.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis, { type RedisOptions } from 'ioredis';
import { answersPing } from './redis-server';

const HOST = '127.0.0.1';
const REDIS_SERVER = process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server';
// Below Linux's ephemeral range (32768+), like the cluster helper: outgoing connections cannot take them.
const FIRST_PORT = 12_000;
const LAST_PORT = 22_000;
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

interface Proc { port: number; child: ChildProcess; output: string[] }

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` (a failing check counts as "not yet") until it returns a value other than undefined/false;
 * throws with `what` after `ms`, or as soon as `abandoned()` says nobody waits any more.
 */
export async function until<T>(what: string, check: () => Promise<T | undefined | false>, ms = 30_000, everyMs = 100, abandoned = () => false): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (abandoned()) throw new Error(`stopped waiting for ${what}: the deployment was stopped`);
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

function portIsFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: HOST, exclusive: true }, () => server.close(() => resolve(true)));
  });
}

async function freePort(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT));
    if (!taken.has(port) && (await portIsFree(port))) return port;
  }
  throw new Error(`no free port found between ${FIRST_PORT} and ${LAST_PORT}`);
}

function spawnProc(port: number, args: string[], dir: string): Proc {
  const child = spawn(REDIS_SERVER, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output: string[] = [];
  // Drained so a chatty server never blocks on a full pipe; the tail explains a failed start or failover.
  const keep = (chunk: Buffer) => {
    output.push(String(chunk));
    if (output.length > 80) output.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => output.push(`spawn failed: ${error.message}`));
  return { port, child, output };
}

const exited = (proc: Proc) => proc.child.exitCode !== null || proc.child.signalCode !== null;

function kill(proc: Proc): Promise<void> {
  if (exited(proc)) return Promise.resolve();
  // SIGKILL also ends a SIGSTOPped process; these servers keep nothing worth a clean shutdown.
  const gone = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill('SIGKILL');
  return gone;
}

/** Spawns on a free port and waits for PING; another port when the one probed was taken meanwhile. */
async function startProc(taken: Set<number>, dir: string, argsFor: (port: number) => string[], procs: Proc[]): Promise<Proc> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort(taken);
    taken.add(port);
    const proc = spawnProc(port, argsFor(port), dir);
    procs.push(proc);
    try {
      await until(`redis-server on port ${port} to answer PING`, async () => {
        if (exited(proc)) throw new Error('exited');
        return answersPing(port);
      }, 10_000, 50);
      if (exited(proc)) throw new Error('exited');
      return proc;
    } catch (error) {
      lastError = new Error(`redis-server on port ${port} did not start: ${(error as Error).message} ${proc.output.join('').slice(-500)}`);
      await kill(proc);
    }
  }
  throw lastError;
}

/** One command on a short-lived connection (nodes come and go; a pooled client would keep reconnecting). */
async function ask(port: number, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis({ host: HOST, port, lazyConnect: true, enableReadyCheck: false, retryStrategy: () => null, maxRetriesPerRequest: 0, connectTimeout: 2000, commandTimeout: 2000 });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/** `INFO <section>` of a data node as a map of its `field:value` lines. */
async function info(port: number, section: string): Promise<Record<string, string>> {
  const text = String(await ask(port, 'INFO', section));
  return Object.fromEntries(text.split('\r\n').filter((line) => line.includes(':')).map((line) => {
    const at = line.indexOf(':');
    return [line.slice(0, at), line.slice(at + 1)];
  }));
}

/** Ports of the replicas in a master's `INFO replication` (`slave0:ip=...,port=...,state=online,...`). */
function replicasOf(replication: Record<string, string>): number[] {
  return Object.entries(replication).filter(([key]) => /^slave\d+$/.test(key)).map(([, value]) => Number(/port=(\d+)/.exec(value)?.[1]));
}

function dataNodeArgs(port: number, replicaOf?: number): string[] {
  return [
    '--port', String(port), '--bind', HOST, '--daemonize', 'no', '--save', '', '--appendonly', 'no',
    '--min-replicas-to-write', String(MIN_REPLICAS_TO_WRITE), '--min-replicas-max-lag', String(MIN_REPLICAS_MAX_LAG_SECONDS),
    // Diskless sync waits 5 s by default for more replicas to join; here one replica should sync at once.
    '--repl-diskless-sync-delay', '0',
    ...(replicaOf === undefined ? [] : ['--replicaof', HOST, String(replicaOf)]),
  ];
}

function sentinelArgs(dir: string, port: number, masterPort: number): string[] {
  const file = path.join(dir, `sentinel-${port}.conf`);
  // Sentinel rewrites its config file (ids, epochs, known replicas and sentinels): one file each.
  writeFileSync(file, [
    `port ${port}`, `bind ${HOST}`, 'daemonize no', `dir ${dir}`, 'logfile ""',
    `sentinel monitor ${MASTER_NAME} ${HOST} ${masterPort} 2`,
    `sentinel down-after-milliseconds ${MASTER_NAME} ${DOWN_AFTER_MS}`,
    `sentinel failover-timeout ${MASTER_NAME} ${FAILOVER_TIMEOUT_MS}`,
    `sentinel parallel-syncs ${MASTER_NAME} 1`,
    '',
  ].join('\n'));
  return [file, '--sentinel'];
}

/** Starts the master, its replica and three sentinels, and waits until the sentinels could run a failover. */
export async function startSentinelDeployment(): Promise<SentinelDeployment> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'mfa-redis-sentinel-'));
  const procs: Proc[] = [];
  const taken = new Set<number>();
  let stopped = false;
  // If the test process exits without afterAll (a crash, a timeout), do not leave servers behind.
  const killOnExit = () => {
    for (const proc of procs) proc.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);

  const stop = async () => {
    if (stopped) return;
    stopped = true;
    process.off('exit', killOnExit);
    await Promise.all(procs.map(kill));
    rmSync(dir, { recursive: true, force: true });
  };

  const sentinelPorts: number[] = [];
  const live = () => sentinelPorts.filter((port) => procs.some((proc) => proc.port === port && !exited(proc)));
  const reportedMaster = async (sentinelPort: number) => {
    const reply = await ask(sentinelPort, 'SENTINEL', 'GET-MASTER-ADDR-BY-NAME', MASTER_NAME) as [string, string] | null;
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
  const masterAcceptsWrites = async () => Number((await info(await masterPort(), 'replication')).min_slaves_good_slaves) >= MIN_REPLICAS_TO_WRITE;
  const logs = () => procs.map((proc) => `--- port ${proc.port}\n${proc.output.join('').slice(-1500)}`).join('\n');

  try {
    const master = await startProc(taken, dir, (port) => dataNodeArgs(port), procs);
    const replica = await startProc(taken, dir, (port) => dataNodeArgs(port, master.port), procs);
    for (let i = 0; i < 3; i += 1) {
      sentinelPorts.push((await startProc(taken, dir, (port) => sentinelArgs(dir, port, master.port), procs)).port);
    }
    // A failover needs each sentinel to know the replica and the two other sentinels (hello messages every 2 s).
    await until('the sentinels to see the replica and each other', async () => {
      for (const port of sentinelPorts) {
        if (!String(await ask(port, 'SENTINEL', 'CKQUORUM', MASTER_NAME)).startsWith('OK 3 usable')) return false;
        const replicas = await ask(port, 'SENTINEL', 'REPLICAS', MASTER_NAME) as string[][];
        const known = replicas.map((fields) => Object.fromEntries(fields.flatMap((value, i) => (i % 2 === 0 ? [[value, fields[i + 1]]] : []))));
        if (!known.some((r) => Number(r.port) === replica.port && r.flags === 'slave' && r['master-link-status'] === 'ok')) return false;
      }
      return masterAcceptsWrites();
    }, 30_000, 200);

    return {
      name: MASTER_NAME,
      sentinels: sentinelPorts.map((port) => ({ host: HOST, port })),
      connect: (options = {}) => {
        const client = new Redis({
        sentinels: sentinelPorts.map((port) => ({ host: HOST, port })),
        name: MASTER_NAME,
        role: 'master',
        // As the README advises: a command waits at most this long, and nothing queues while no master is known.
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
        // Each failed reconnect during a failover is an 'error' event ("All sentinels are unreachable" once
        // ioredis has asked each sentinel and reached no master); expected here, and unhandled it would be logged.
        client.on('error', () => undefined);
        return client;
      },
      masterPort,
      replicaPorts: async () => replicasOf(await info(await masterPort(), 'replication')),
      async replicated() {
        const replication = await info(await masterPort(), 'replication');
        const written = Number(replication.master_repl_offset);
        const replicaPorts = replicasOf(replication);
        if (replicaPorts.length === 0) throw new Error('the master has no replica');
        await until('the replicas to apply what the master wrote', async () => {
          for (const replicaPort of replicaPorts) {
            if (Number((await info(replicaPort, 'replication')).slave_repl_offset) < written) return false;
          }
          return true;
        }, 20_000, 50, () => stopped);
      },
      async killMaster() {
        const port = await masterPort();
        await kill(procOn(port));
        return port;
      },
      async waitForPromotion(oldPort) {
        try {
          return await until('a replica to be promoted', async () => {
            const reports = await Promise.all(live().map(reportedMaster));
            const [first] = reports;
            if (!first || first === oldPort || reports.some((port) => port !== first)) return undefined;
            return (await info(first, 'replication')).role === 'master' ? first : undefined;
          }, 45_000, 100, () => stopped);
        } catch (error) {
          throw new Error(`${(error as Error).message}\n${logs()}`, { cause: error });
        }
      },
      async addReplica() {
        const port = await masterPort();
        const replica = await startProc(taken, dir, (own) => dataNodeArgs(own, port), procs);
        await until('the master to accept writes with its new replica', masterAcceptsWrites, 30_000, 100, () => stopped);
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
