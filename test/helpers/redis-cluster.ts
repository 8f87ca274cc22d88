// Starts a throwaway three-master Redis Cluster on free loopback ports (Debian's redis-server), and tears it down.
import { execFile } from 'node:child_process';
import path from 'node:path';
import Redis, { type ClusterOptions } from 'ioredis';
import { answersPing } from './redis-server';
import { HOST, baseServerArgs, exited, portIsFree, processGroup, spawnProc, type Proc } from './redis-processes';

// Same variable as test/helpers/redis-server.ts; redis-cli is taken from next to it (Debian: /usr/bin).
const REDIS_SERVER = process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server';
const REDIS_CLI = path.join(path.dirname(REDIS_SERVER), 'redis-cli');
// A cluster node also listens on port + 10000 (the cluster bus). Both stay below Linux's ephemeral
// range (32768+), so outgoing connections of other tests cannot take them between probe and bind.
const FIRST_PORT = 12_000;
const LAST_PORT = 22_000;
const BUS_OFFSET = 10_000;

export interface LocalRedisCluster {
  /** Seed nodes for `new Redis.Cluster(nodes)`. */
  nodes: { host: string; port: number }[];
  /** A new ioredis Cluster client on this cluster; the caller disconnects it. */
  connect(options?: ClusterOptions): InstanceType<typeof Redis.Cluster>;
  /** SIGKILLs the master on this port (no replicas: its slots go dark), as a crash would. */
  crash(port: number): Promise<void>;
  /** Kills every node and removes the temporary directory; safe to call twice. */
  stop(): Promise<void>;
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function freePortPair(taken: Set<number>): Promise<number> {
  for (let i = 0; i < 200; i += 1) {
    const port = FIRST_PORT + Math.floor(Math.random() * (LAST_PORT - FIRST_PORT));
    if (taken.has(port) || taken.has(port + BUS_OFFSET)) continue;
    if ((await portIsFree(port)) && (await portIsFree(port + BUS_OFFSET))) return port;
  }
  throw new Error(`no free port pair (p, p+${BUS_OFFSET}) found between ${FIRST_PORT} and ${LAST_PORT}`);
}

/** Resolves once the node answers PING; rejects if the process exits first (e.g. the port was taken after the probe). */
function waitForNode(node: Proc): Promise<void> {
  return new Promise((resolve, reject) => {
    let settled = false;
    const onExit = (code: number | null) =>
      finish(new Error(`redis-server on port ${node.port} exited (${code}): ${node.output.join('').slice(-500)}`));
    const finish = (error?: Error) => {
      if (settled) return;
      settled = true;
      node.child.off('exit', onExit);
      if (error) reject(error);
      else resolve();
    };
    node.child.once('exit', onExit);
    void (async () => {
      for (let i = 0; i < 100 && !settled; i += 1) {
        if (await answersPing(node.port)) return finish();
        await sleep(50);
      }
      finish(new Error(`redis-server on port ${node.port} did not answer within 5 s`));
    })();
  });
}

function spawnNode(dir: string, port: number): Proc {
  return spawnProc(
    port,
    [...baseServerArgs(port), '--cluster-enabled', 'yes', '--cluster-config-file', path.join(dir, `nodes-${port}.conf`)],
    dir,
  );
}

async function startNode(dir: string, taken: Set<number>): Promise<Proc> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePortPair(taken);
    const node = spawnNode(dir, port);
    try {
      await waitForNode(node);
      taken.add(port).add(port + BUS_OFFSET);
      return node;
    } catch (error) {
      // Another process took the port between the probe and the bind: try another pair.
      lastError = error;
      await killNode(node);
    }
  }
  throw lastError;
}

function killNode(node: Proc): Promise<void> {
  const { child } = node;
  if (exited(node)) return Promise.resolve();
  return new Promise((resolve) => {
    const hard = setTimeout(() => child.kill('SIGKILL'), 2000);
    child.once('exit', () => {
      clearTimeout(hard);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

function createCluster(ports: number[]): Promise<void> {
  const args = ['--cluster', 'create', ...ports.map((p) => `${HOST}:${p}`), '--cluster-replicas', '0', '--cluster-yes'];
  return new Promise((resolve, reject) => {
    execFile(REDIS_CLI, args, { timeout: 30_000 }, (error, stdout, stderr) => {
      if (error)
        reject(
          new Error(`redis-cli --cluster create failed: ${error.message}\n${String(stdout).slice(-1000)}${String(stderr).slice(-500)}`),
        );
      else resolve();
    });
  });
}

async function waitForClusterOk(ports: number[]): Promise<void> {
  const clients = ports.map((port) => new Redis(port, HOST, { maxRetriesPerRequest: 1, lazyConnect: true }));
  try {
    await Promise.all(clients.map((client) => client.connect()));
    for (let i = 0; i < 200; i += 1) {
      const infos = await Promise.all(clients.map((client) => client.cluster('INFO') as Promise<string>));
      if (infos.every((info) => /cluster_state:ok/.test(info))) return;
      await sleep(50);
    }
    throw new Error('the cluster did not reach cluster_state:ok on every node within 10 s');
  } finally {
    for (const client of clients) client.disconnect();
  }
}

/** Starts three masters, joins them into one cluster, and waits until every node reports `cluster_state:ok`. */
export async function startRedisCluster(): Promise<LocalRedisCluster> {
  const { dir, procs: nodes, stop } = processGroup('mfa-redis-cluster-', killNode);

  try {
    const taken = new Set<number>();
    for (let i = 0; i < 3; i += 1) nodes.push(await startNode(dir, taken));
    const ports = nodes.map((node) => node.port);
    await createCluster(ports);
    await waitForClusterOk(ports);
    const seeds = ports.map((port) => ({ host: HOST, port }));
    return {
      nodes: seeds,
      connect: (options: ClusterOptions = {}) =>
        new Redis.Cluster(seeds, {
          ...options,
          redisOptions: { maxRetriesPerRequest: 1, ...options.redisOptions },
        }),
      crash: async (port: number) => {
        const node = nodes.find((candidate) => candidate.port === port);
        if (!node) throw new Error(`no node of this cluster on port ${port}`);
        const exited = new Promise((resolve) => node.child.once('exit', resolve));
        node.child.kill('SIGKILL');
        await exited;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
