// A private redis-server on a free loopback port, that a test may kill and restart (never the shared one on 6379).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import Redis from 'ioredis';
import { withErrorListener } from './redis';

const REDIS_SERVER = process.env.REDIS_SERVER_BIN || '/usr/bin/redis-server';

/** True once a Redis answers PING on this local port (also used by the cluster helper). */
export function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

export interface PrivateRedis {
  readonly port: number;
  start(): Promise<void>;
  /** SIGKILL: the worst case, no goodbye to the clients. */
  kill(): Promise<void>;
}

/** `extraArgs`: more redis-server options, e.g. `['--rename-command', 'SET', '']` for a server that refuses a command. */
export function privateRedis(port: number, extraArgs: string[] = []): PrivateRedis {
  let child: ChildProcess | undefined;
  return {
    port,
    async start() {
      child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...extraArgs], {
        stdio: 'ignore',
      });
      for (let i = 0; i < 50; i += 1) {
        if (await answersPing(port)) return;
        await new Promise((r) => setTimeout(r, 100));
      }
      throw new Error(`redis-server did not start on port ${port}`);
    },
    async kill() {
      const running = child;
      child = undefined;
      if (!running || running.exitCode !== null) return;
      const exited = new Promise((resolve) => running.once('exit', resolve));
      running.kill('SIGKILL');
      await exited;
    },
  };
}

/** An ioredis client set up as the library's docs advise: a dead Redis fails fast instead of queueing. */
export function fastFailingClient(port: number): Redis {
  // Its server is killed and restarted on purpose: each failed reconnection is an `error` event.
  return withErrorListener(
    new Redis({
      host: '127.0.0.1',
      port,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 1,
      connectTimeout: 500,
      retryStrategy: () => 100,
    }),
  );
}

/** Resolves once the client is connected again (after a restart), or throws after `ms`. */
export async function waitUntilReady(client: Redis, ms = 5000): Promise<void> {
  const until = Date.now() + ms;
  while (client.status !== 'ready') {
    if (Date.now() > until) throw new Error(`redis client still ${client.status}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
