// Timing: a wrong code takes as long on a live challenge as on an expired or a replaced one, so its answer's delay does not tell someone with the password when the owner signs in.
import { performance } from 'node:perf_hooks';
import type Redis from 'ioredis';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { createTestApp } from '../helpers/create-app';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { challengeKey, deleteUnder } from '../helpers/store-keys';

// Enough rounds that one slow answer on a loaded machine does not move a median.
const ROUNDS = 9;
const LATENCY_MS = 150;
const prefix = uniquePrefix('uniform-timing');
let redis: Redis;
// Bandwidth's own limit of wrong codes per number is raised: every round spends three.
let emulator: BandwidthEmulator;

beforeAll(async () => {
  redis = createRedis();
  emulator = await startBandwidthEmulator({ maxWrongAttempts: 1000 });
});
afterAll(async () => {
  await deleteUnder(redis, prefix);
  await emulator.close();
  await closeClient(redis);
});

jest.setTimeout(90_000);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function timed(run: () => Promise<{ status: number; body: { error?: string } }>): Promise<number> {
  const started = performance.now();
  const res = await run();
  const took = performance.now() - started;
  expect([res.status, res.body.error]).toEqual([400, 'invalid_code']);
  return took;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
}

test(`wrong codes on a live, a replaced and an expired challenge take alike at ${LATENCY_MS} ms Bandwidth latency`, async () => {
  // Enough attempts and sends for every round; the send budgets count but refuse nothing (every code here is wrong).
  const app = createTestApp({
    redis,
    prefix,
    emulator,
    mfa: { resendCooldownSeconds: 1, maxAttempts: 20, maxSendsPerHour: 20, maxSendsPerNumberPerHour: 20, sendBudgets: { mode: 'monitor' } },
  });
  emulator.injectFault({ endpoint: 'verify', delayMs: LATENCY_MS });
  const figures: Record<'live' | 'replaced' | 'expired', number[]> = { live: [], replaced: [], expired: [] };
  for (let round = 0; round < ROUNDS; round += 1) {
    // Two users in turn, so no one's attempt budget runs out and each one's resend wait is over by its next round.
    const user = round % 2 === 0 ? 'alice' : 'bob';
    const tabOne = await login(app, user);
    expect((await send(app, tabOne)).status).toBe(200);
    const wrong = wrongCode(codeFor(emulator, user));
    figures.live.push(await timed(() => verify(app, tabOne, wrong)));

    await pause(1100);
    const tabTwo = await login(app, user);
    expect((await send(app, tabTwo)).status).toBe(200);
    figures.replaced.push(await timed(() => verify(app, tabOne, wrong)));

    // Gone by the store's clock.
    await redis.pexpire(await challengeKey(redis, prefix), 1);
    await pause(5);
    figures.expired.push(await timed(() => verify(app, tabTwo, wrong)));
  }

  const live = median(figures.live);
  const ratios = { replaced: median(figures.replaced) / live, expired: median(figures.expired) / live };
  console.log(
    [
      `wrong-code answer medians over ${ROUNDS} rounds at ${LATENCY_MS} ms Bandwidth latency:`,
      ...Object.entries(figures).map(
        ([name, values]) => `  ${name.padEnd(8)} ${median(values).toFixed(1)} ms (${values.map((v) => v.toFixed(0)).join(', ')})`,
      ),
      `  replaced/live ${ratios.replaced.toFixed(2)}, expired/live ${ratios.expired.toFixed(2)}`,
    ].join('\n'),
  );
  // Side by side, a generous margin: each within half of the live answer's time either way.
  for (const ratio of Object.values(ratios)) {
    expect(ratio).toBeGreaterThan(0.5);
    expect(ratio).toBeLessThan(1.5);
  }
});
