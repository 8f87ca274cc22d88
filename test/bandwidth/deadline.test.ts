// One deadline per call, over real HTTP: a call that waited past it for a socket or a token is never written afterwards.
import { createBandwidthClient, isBandwidthError, type BandwidthClient, type BandwidthOptions } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { bandwidthOptionsFor } from '../helpers/create-app';

const TIMEOUT_MS = 2000;
let emulator: BandwidthEmulator;
const clients: BandwidthClient[] = [];

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  for (const client of clients) client.close();
  await emulator.close();
});
beforeEach(() => emulator.reset());

function client(overrides: Partial<BandwidthOptions> = {}): BandwidthClient {
  const made = createBandwidthClient({ ...bandwidthOptionsFor(emulator), timeoutMs: TIMEOUT_MS, ...overrides });
  clients.push(made);
  return made;
}

const numberOf = (i: number) => `+1202555${String(1000 + i)}`;
const sms = (i: number) => ({ channel: 'sms' as const, to: numberOf(i), message: 'Your code is {CODE}', digits: 6, scope: '2FA' });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Answer {
  to: string;
  at: number;
  outcome: string;
  neverSent: boolean;
}

/**
 * `count` sends started a few milliseconds apart, so that each queued one gets a freed socket just
 * before its own timeout: the moment a late write used to slip through. Resolves with when and how each
 * caller was answered.
 */
async function staggeredSends(bw: BandwidthClient, count: number): Promise<Answer[]> {
  const answers: Array<Promise<Answer>> = [];
  for (let i = 0; i < count; i += 1) {
    answers.push(
      bw.sendCode(sms(i)).then(
        () => ({ to: numberOf(i), at: Date.now(), outcome: 'sent', neverSent: false }),
        (error: unknown) => ({
          to: numberOf(i),
          at: Date.now(),
          outcome: isBandwidthError(error) ? error.kind : String(error),
          neverSent: isBandwidthError(error) && error.neverSent === true,
        }),
      ),
    );
    await pause(i % 8);
  }
  return Promise.all(answers);
}

/** Requests the emulator read after the moment their caller had been answered. */
function arrivedAfterAnswer(answers: Answer[]): number {
  const answeredAt = new Map(answers.map((a) => [a.to, a.at]));
  return emulator.requests.filter((r) => {
    const at = answeredAt.get((r.body as { to?: string } | undefined)?.to ?? '');
    return at !== undefined && r.at.getTime() > at;
  }).length;
}

/** One verify, so the token is fetched and a connection is open; returns the connections counted so far. */
async function warmUp(bw: BandwidthClient): Promise<number> {
  await bw.verifyCode({ to: numberOf(999), code: '123456', scope: '2FA', expirationTimeInMinutes: 1 });
  return emulator.connectionCount;
}

describe('a stalled Bandwidth and a full socket pool', () => {
  test('every send times out, only those that had a socket were written, and nothing is written after its caller was answered', async () => {
    const bw = client({ maxSockets: 2 });
    await warmUp(bw);
    emulator.injectFault({ endpoint: 'messaging', hang: true });
    const answers = await staggeredSends(bw, 24);
    expect(answers.every((a) => a.outcome === 'timeout')).toBe(true);

    // Bandwidth recovers; anything still queued somewhere would now be written and answered.
    emulator.clearFaults();
    await pause(2 * TIMEOUT_MS);
    expect(emulator.requestCount('messaging')).toBe(2);
    expect(emulator.sent).toHaveLength(2);
    expect(arrivedAfterAnswer(answers)).toBe(0);
    // The two that were written may have gone out; the 22 that never left the queue certainly did not.
    expect(answers.filter((a) => a.neverSent)).toHaveLength(22);
    const written = new Set(emulator.requests.filter((r) => r.endpoint === 'messaging').map((r) => (r.body as { to: string }).to));
    expect(answers.filter((a) => !a.neverSent).every((a) => written.has(a.to))).toBe(true);
  });

  test('the queue does not open a connection for a call that gave up', async () => {
    const bw = client({ maxSockets: 2 });
    const warm = await warmUp(bw);
    emulator.injectFault({ endpoint: 'messaging', hang: true });
    await staggeredSends(bw, 12);
    emulator.clearFaults();
    await bw.sendCode(sms(50));
    // One more for the second hung call, one for the send after: the two hung sockets died at their deadline.
    expect(emulator.connectionCount - warm).toBeLessThanOrEqual(2);
    expect(emulator.requestCount('messaging')).toBe(3);
  });
});

describe('the token counts against the deadline', () => {
  test('calls waiting on a stalled token fetch give up unsent, and none is written once the token arrives', async () => {
    const bw = client();
    emulator.injectFault({ endpoint: 'token', hang: true, times: 1 });
    const answers = await staggeredSends(bw, 6);
    expect(answers.every((a) => a.outcome === 'timeout' && a.neverSent)).toBe(true);
    await pause(2 * TIMEOUT_MS);
    expect(emulator.requestCount('token')).toBe(1);
    expect(emulator.requestCount('messaging')).toBe(0);

    // The stalled fetch is gone with its deadline: the next call fetches a token and is sent.
    await bw.sendCode(sms(60));
    expect(emulator.requestCount('token')).toBe(2);
    expect(emulator.requestCount('messaging')).toBe(1);
  });
});

describe('under the socket bound nothing changes', () => {
  test('more concurrent calls than sockets all succeed, in turn, on the same connections', async () => {
    const bw = client({ maxSockets: 2 });
    const warm = await warmUp(bw);
    const results = await Promise.all(Array.from({ length: 20 }, (_, i) => bw.sendCode(sms(i))));
    expect(new Set(results.map((r) => r.id)).size).toBe(20);
    expect(emulator.requestCount('messaging')).toBe(20);
    expect(emulator.connectionCount - warm).toBeLessThanOrEqual(1);
  });
});
