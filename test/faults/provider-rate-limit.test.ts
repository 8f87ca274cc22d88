// Bandwidth 429: mirrored as our own lockout, for as long as its sentence says (120 s when it says nothing usable), on every instance.
import type { Express } from 'express';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('rate-limit');

async function expectLockedFor(app: Express, seconds: number): Promise<void> {
  const calls = bed.emulator.requestCount();
  const res = await send(app, await login(app));
  expect(res.status).toBe(429);
  expect(res.body.error).toBe('locked_out');
  expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(seconds);
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(seconds - 5);
  expect(bed.emulator.requestCount()).toBe(calls);
}

describe('Bandwidth 429 on verify', () => {
  test.each([
    ['please wait 3 minutes', { error: 'This number has exceeded verification attempts, please wait 3 minutes', requestId: 'r' }, {}, 180],
    ['wait 45 seconds', { error: 'Too many attempts. Wait 45 seconds.', requestId: 'r' }, {}, 45],
    ['1 hour', { error: 'Locked for 1 hour', requestId: 'r' }, {}, 3600],
    ['a Retry-After header', { error: 'Too many requests', requestId: 'r' }, { 'Retry-After': '75' }, 75],
    ['nothing usable', { error: 'Too many requests', requestId: 'r' }, {}, 120],
    ['a wait of zero', { error: 'please wait 0 minutes', requestId: 'r' }, {}, 120],
    ['an empty body', {}, {}, 120],
  ])('%s: a lockout with that Retry-After, held by every instance', async (_label, body, headers, seconds) => {
    const [one, two] = [bed.appWith(), bed.appWith()];
    const cookie = await login(one);
    await send(one, cookie);
    bed.emulator.injectFault({ endpoint: 'verify', status: 429, body, headers, times: 1 });
    const res = await verify(one, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('locked_out');
    expect(res.headers['retry-after']).toBe(String(seconds));
    expect(res.body.retryAfterSeconds).toBe(seconds);
    // The right code on the other instance is refused without asking Bandwidth again.
    const calls = bed.emulator.requestCount('verify');
    expect((await verify(two, cookie, codeFor(bed.emulator))).status).toBe(429);
    expect(bed.emulator.requestCount('verify')).toBe(calls);
    await expectLockedFor(two, seconds);
  });

  test('the emulator\'s own 429 after repeated wrong codes ("please wait 2 minutes") locks for 120 s', async () => {
    // A larger budget than Bandwidth's, so Bandwidth's limit is met first.
    const app = bed.appWith({ maxAttempts: 10 });
    const cookie = await login(app);
    await send(app, cookie);
    for (let i = 0; i < 5; i += 1) expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(400);
    const res = await verify(app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('120');
    await expectLockedFor(app, 120);
  });
});

describe('Bandwidth 429 on send', () => {
  test('a 429 on send locks too, with the wait it states', async () => {
    const app = bed.app;
    bed.emulator.injectFault({ endpoint: 'messaging', status: 429, body: { error: 'please wait 2 minutes', requestId: 'r' }, times: 1 });
    const res = await send(app, await login(app));
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('120');
    await expectLockedFor(app, 120);
  });
});
