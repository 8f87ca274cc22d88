// Throwaway redis-server processes on free loopback ports, and one command at a time to them (for helpers that build deployments).
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import Redis from 'ioredis';
import { answersPing } from './redis-server';

export const HOST = '127.0.0.1';
const REDIS_SERVER = process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server';
// Below Linux's ephemeral range (32768+), like the cluster helper: outgoing connections cannot take them.
const FIRST_PORT = 12_000;
const LAST_PORT = 22_000;

export interface Proc {
  port: number;
  child: ChildProcess;
  output: string[];
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Polls `check` (a failing check counts as "not yet") until it returns a value other than undefined/false;
 * throws with `what` after `ms`, or as soon as `abandoned()` says it never will (a process exited, the deployment stopped).
 */
export async function until<T>(
  what: string,
  check: () => Promise<T | undefined | false>,
  ms = 30_000,
  everyMs = 100,
  abandoned = () => false,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (abandoned()) throw new Error(`gave up waiting for ${what}`);
    const value = await check().catch(() => undefined);
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** True when nothing listens on this loopback port (also used by the cluster helper). */
export function portIsFree(port: number): Promise<boolean> {
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

/** The options every throwaway server starts with: this loopback port, in the foreground, nothing kept on disk. */
export function baseServerArgs(port: number): string[] {
  return ['--port', String(port), '--bind', HOST, '--daemonize', 'no', '--save', '', '--appendonly', 'no'];
}

/** Spawns redis-server with `args` in `dir`; its output is kept (the last chunks), to explain a failed start. */
export function spawnProc(port: number, args: string[], dir: string): Proc {
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

export const exited = (proc: Proc) => proc.child.exitCode !== null || proc.child.signalCode !== null;

export function kill(proc: Proc): Promise<void> {
  if (exited(proc)) return Promise.resolve();
  // SIGKILL also ends a SIGSTOPped process; these servers keep nothing worth a clean shutdown.
  const gone = new Promise<void>((resolve) => proc.child.once('exit', () => resolve()));
  proc.child.kill('SIGKILL');
  return gone;
}

/** The processes of one deployment, in a temporary folder of its own; read `stopped` to give up a wait. */
export interface ProcessGroup {
  readonly dir: string;
  /** Push each process started; `stop()` ends them all. */
  readonly procs: Proc[];
  readonly stopped: boolean;
  /** Ends every process with `end` and removes the folder; safe to call twice. */
  stop(): Promise<void>;
}

/** A temporary folder named after `name`, for processes that `end` stops (SIGKILL by default). */
export function processGroup(name: string, end: (proc: Proc) => Promise<void> = kill): ProcessGroup {
  const dir = mkdtempSync(path.join(os.tmpdir(), name));
  const procs: Proc[] = [];
  let stopped = false;
  // If the test process exits without afterAll (a crash, a timeout), do not leave servers behind.
  const killOnExit = () => {
    for (const proc of procs) proc.child.kill('SIGKILL');
  };
  process.once('exit', killOnExit);
  return {
    dir,
    procs,
    get stopped() {
      return stopped;
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      process.off('exit', killOnExit);
      await Promise.all(procs.map(end));
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Spawns on a free port and waits for PING; another port when the one probed was taken meanwhile. */
export async function startProc(taken: Set<number>, dir: string, argsFor: (port: number) => string[], procs: Proc[]): Promise<Proc> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 5; attempt += 1) {
    const port = await freePort(taken);
    taken.add(port);
    const proc = spawnProc(port, argsFor(port), dir);
    procs.push(proc);
    try {
      await until(
        `redis-server on port ${port} to answer PING`,
        () => answersPing(port),
        10_000,
        50,
        () => exited(proc),
      );
      return proc;
    } catch (error) {
      lastError = new Error(`${(error as Error).message}: ${proc.output.join('').slice(-500)}`, { cause: error });
      await kill(proc);
    }
  }
  throw lastError;
}

/** One command on a short-lived connection (nodes come and go; a pooled client would keep reconnecting). */
export async function ask(port: number, ...args: (string | number)[]): Promise<unknown> {
  const client = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    enableReadyCheck: false,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
    connectTimeout: 2000,
    commandTimeout: 2000,
  });
  client.on('error', () => undefined);
  try {
    await client.connect();
    return await client.call(String(args[0]), ...args.slice(1));
  } finally {
    client.disconnect();
  }
}

/** `INFO <section>` of a data node as a map of its `field:value` lines. */
export async function info(port: number, section: string): Promise<Record<string, string>> {
  const text = String(await ask(port, 'INFO', section));
  return Object.fromEntries(
    text
      .split('\r\n')
      .filter((line) => line.includes(':'))
      .map((line) => {
        const at = line.indexOf(':');
        return [line.slice(0, at), line.slice(at + 1)];
      }),
  );
}
