// Lockouts only ever grow: a late provider 429 cannot shorten one, each lockout in a row doubles, and a ceiling holds the user.
import type { Express } from 'express';
import { memoryStore } from '../../src';
import { mfaOf, USERS } from '../helpers/create-app';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('ceiling');
const alice = USERS.alice?.id as string;

describe('a Bandwidth 429 that arrives late', () => {
  // The 4th guess is still at Bandwidth when the 5th locks the user for 900 s; then Bandwidth answers 429.
  test.each([
    ['a shorter wait leaves the 900 s lockout and its pinned budget alone', 'please wait 30 seconds', 'attempts_exhausted', 800, 900],
    ['a longer wait extends it', 'please wait 1 hour', 'provider_rate_limited', 3500, 3600],
  ])('%s', async (_label, sentence, reason, atLeast, atMost) => {
    const app = bed.appWith();
    const cookie = await login(app);
    await send(app, cookie);
    for (let i = 0; i < 3; i += 1) expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(400);
    bed.emulator.injectFault({ endpoint: 'verify', status: 429, body: { error: sentence, requestId: 'r' }, delayMs: 700, times: 1 });
    // supertest sends when awaited: `.then` starts it now.
    const slow = verify(app, cookie, wrongCode(codeFor(bed.emulator))).then((res) => res);
    while (bed.emulator.requestCount('verify') < 4) await new Promise((r) => setTimeout(r, 20));
    const locking = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    expect(locking.status).toBe(429);
    expect((await slow).status).toBe(429);

    const res = await send(app, await login(app));
    expect(res.body.error).toBe('locked_out');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(atLeast);
    expect(Number(res.headers['retry-after'])).toBeLessThanOrEqual(atMost);
    const [lockoutKey] = await bed.redis.keys(`${bed.prefix}mfa:*:lockout`);
    expect(await bed.redis.get(lockoutKey as string)).toBe(reason);
    // The budget stays spent for as long as the lockout that stands: it cannot come back early.
    const [attemptsKey] = await bed.redis.keys(`${bed.prefix}mfa:*:attempts`);
    expect(await bed.redis.pttl(attemptsKey as string)).toBeGreaterThan(800_000);
  });
});

describe('wrong codes in a row', () => {
  // The store's clock is moved by hand, so lockouts can end without waiting for them.
  let now = Date.now();
  let app: Express;
  beforeEach(() => {
    now = Date.now();
    app = bed.appWith({ store: memoryStore({ now: () => now }), maxAttempts: 2, lockoutSeconds: 10, maxConsecutiveFailures: 6 });
  });
  const later = (seconds: number) => {
    now += seconds * 1000;
  };

  test('double each lockout, then hold the user until an operator unlocks them', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    const guess = () => verify(app, cookie, wrongCode(codeFor(bed.emulator)));

    expect((await guess()).status).toBe(400);
    const first = await guess();
    expect(first.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 10 });
    later(11);
    expect((await guess()).status).toBe(400);
    const second = await guess();
    expect(second.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 20 });
    later(21);
    expect((await guess()).status).toBe(400);
    // That was Bandwidth's 5th wrong code for the number: its own 429 would answer next. Outwait it on its clock alone.
    bed.emulator.advanceTime(121_000);
    const held = await guess();
    expect(held.status).toBe(403);
    expect(held.body.error).toBe('account_locked');
    expect(held.headers['retry-after']).toBeUndefined();

    // A year later, still held, and the right code is not even asked about.
    later(365 * 86_400);
    const calls = bed.emulator.requestCount('verify');
    expect((await verify(app, cookie, codeFor(bed.emulator))).body.error).toBe('account_locked');
    expect((await send(app, cookie)).body.error).toBe('account_locked');
    expect(bed.emulator.requestCount('verify')).toBe(calls);

    await mfaOf(app).unlockUser(alice, { actor: 'support:ticket-42' });
    expect((await send(app, cookie)).status).toBe(200);
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);

    const steps = bed.events
      .filter((e) => ['locked_out', 'account_locked', 'user_unlocked'].includes(e.type))
      .map((e) => [e.type, e.retryAfterSeconds, e.consecutiveFailures, e.actor]);
    expect(steps).toEqual([
      ['locked_out', 10, 2, undefined],
      ['locked_out', 20, 4, undefined],
      ['account_locked', undefined, 6, undefined],
      ['user_unlocked', undefined, undefined, 'support:ticket-42'],
    ]);
  });

  test('a success resets the streak: the next lockout is the first again', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    const guess = () => verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    await guess();
    expect((await guess()).body.retryAfterSeconds).toBe(10);
    later(11);
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);

    const again = await login(app);
    later(31);
    await send(app, again);
    await verify(app, again, wrongCode(codeFor(bed.emulator)));
    expect((await verify(app, again, wrongCode(codeFor(bed.emulator)))).body.retryAfterSeconds).toBe(10);
  });

  test('the doubling stops at maxLockoutSeconds', async () => {
    const capped = bed.appWith({ store: memoryStore({ now: () => now }), maxAttempts: 1, lockoutSeconds: 10, maxLockoutSeconds: 25 });
    const cookie = await login(capped);
    await send(capped, cookie);
    const waits: number[] = [];
    for (let i = 0; i < 4; i += 1) {
      const res = await verify(capped, cookie, wrongCode(codeFor(bed.emulator)));
      waits.push(res.body.retryAfterSeconds);
      later(res.body.retryAfterSeconds + 1);
    }
    expect(waits).toEqual([10, 20, 25, 25]);
  });
});

describe('what a custom provider may answer', () => {
  test.each([
    ['{ valid: false }', { valid: false }],
    ['"false"', 'false'],
    ['1', 1],
    ['"true"', 'true'],
    ['an object', {}],
  ])('a verify answering %s opens nothing', async (_label, answer) => {
    const provider = { sendCode: async () => ({ id: 'm-1' }), verifyCode: async () => answer as unknown as boolean };
    const app = bed.appWith({ bandwidth: provider });
    const cookie = await login(app);
    await send(app, cookie);
    const res = await verify(app, cookie, '123456');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_code');
  });
});
