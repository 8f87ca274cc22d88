// A loopback HTTP hop in front of the emulator that can hold MFA calls until the test releases them: a slow Bandwidth on cue.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { BandwidthEmulator } from '../../src/testing';

export interface HeldGateway {
  /** Give this as `bandwidth.baseUrl`; the token URL can stay the emulator's. */
  readonly baseUrl: string;
  /** The next `count` MFA calls (send, verify) wait here instead of reaching the emulator; later ones go through. */
  hold(count: number): void;
  /** Resolves once `count` calls are waiting. */
  waitForHeld(count: number): Promise<void>;
  /** Sends every waiting call on to the emulator and holds no more. */
  release(): void;
  close(): Promise<void>;
}

export async function startHeldGateway(emulator: BandwidthEmulator): Promise<HeldGateway> {
  const target = new URL(emulator.baseUrl);
  let toHold = 0;
  let held: Array<() => void> = [];
  let watchers: Array<() => void> = [];
  const agent = new http.Agent({ keepAlive: true });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, body: Buffer) => {
    const upstream = http.request(
      {
        host: target.hostname,
        port: target.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
        agent,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    upstream.end(body);
  };

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const go = () => forward(req, res, Buffer.concat(chunks));
      if (toHold === 0 || !/\/code\//.test(req.url ?? '')) return go();
      toHold -= 1;
      held.push(go);
      for (const watcher of watchers) watcher();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/api/v1`,
    hold(count) {
      toHold = count;
    },
    waitForHeld(count) {
      return new Promise((resolve) => {
        const check = () => {
          if (held.length < count) return;
          watchers = watchers.filter((w) => w !== check);
          resolve();
        };
        watchers.push(check);
        check();
      });
    },
    release() {
      toHold = 0;
      const waiting = held;
      held = [];
      for (const go of waiting) go();
    },
    close() {
      agent.destroy();
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Registers a file's gateway (call it once, at the top level, after `useTestBed`): started before the file's tests,
 * releasing whatever a test left held after each, closed at the end.
 */
export function useHeldGateway(bed: { readonly emulator: BandwidthEmulator }): HeldGateway {
  let gateway: HeldGateway | undefined;
  beforeAll(async () => {
    gateway = await startHeldGateway(bed.emulator);
  });
  afterAll(() => gateway?.close());
  afterEach(() => gateway?.release());
  const started = (): HeldGateway => {
    if (!gateway) throw new Error('useHeldGateway: the gateway exists only inside hooks and tests');
    return gateway;
  };
  return {
    get baseUrl() {
      return started().baseUrl;
    },
    hold: (count) => started().hold(count),
    waitForHeld: (count) => started().waitForHeld(count),
    release: () => started().release(),
    close: () => started().close(),
  };
}
