// Guessing codes: a per-user budget of wrong codes in the shared store, that no session, resend or instance resets.
import type { Express } from 'express';
import request from 'supertest';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('guess', { mfa: { resendCooldownSeconds: 1 } });

/** Two instances of one deployment: same Redis, same prefix. A 1 s cooldown lets tests resend. */
function instances(): [Express, Express] {
  return [bed.appWith(), bed.appWith()];
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function wrong(app: Express, cookie: string, expected: number): Promise<void> {
  const res = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
  expect(res.status).toBe(expected);
}

/** After the budget is spent: the right code is refused without asking Bandwidth. */
async function expectLocked(app: Express, cookie: string): Promise<void> {
  const calls = bed.emulator.requestCount('verify');
  const res = await verify(app, cookie, codeFor(bed.emulator));
  expect(res.status).toBe(429);
  expect(res.body.error).toBe('locked_out');
  expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  expect(bed.emulator.requestCount('verify')).toBe(calls);
}

describe('guessing codes', () => {
  test('the 5th wrong code locks the user; then even the right code is refused with no provider call', async () => {
    const [app] = instances();
    const cookie = await login(app);
    await send(app, cookie);
    for (let i = 1; i <= 4; i += 1) {
      const res = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
      expect(res.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 5 - i });
    }
    await wrong(app, cookie, 429);
    expect(bed.emulator.requestCount('verify')).toBe(5);
    await expectLocked(app, cookie);
  });

  test('the count survives logout and a new session', async () => {
    const [app] = instances();
    let cookie = await login(app);
    await send(app, cookie);
    for (let i = 0; i < 3; i += 1) await wrong(app, cookie, 400);
    await request(app).post('/logout').set('Cookie', cookie);
    await pause(1100);
    cookie = await login(app);
    await send(app, cookie);
    const fourth = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    expect(fourth.body.attemptsRemaining).toBe(1);
    await wrong(app, cookie, 429);
    await expectLocked(app, cookie);
  });

  test('the count survives parallel sessions of the same user', async () => {
    const [app] = instances();
    const first = await login(app);
    await send(app, first);
    for (let i = 0; i < 3; i += 1) await wrong(app, first, 400);
    await pause(1100);
    const second = await login(app);
    await send(app, second);
    await wrong(app, second, 400);
    await wrong(app, second, 429);
    await expectLocked(app, second);
  });

  test('the count survives a resend', async () => {
    const [app] = instances();
    const cookie = await login(app);
    await send(app, cookie);
    for (let i = 0; i < 4; i += 1) await wrong(app, cookie, 400);
    await pause(1100);
    expect((await send(app, cookie)).status).toBe(200);
    await wrong(app, cookie, 429);
    await expectLocked(app, cookie);
  });

  test('the count survives a switch between app instances', async () => {
    const [one, two] = instances();
    const cookie = await login(one);
    await send(one, cookie);
    for (let i = 0; i < 4; i += 1) await wrong(i % 2 === 0 ? one : two, cookie, 400);
    await wrong(two, cookie, 429);
    await expectLocked(one, cookie);
    await expectLocked(two, cookie);
  });

  test('50 parallel wrong codes across two instances: at most 5 reach Bandwidth, none verifies', async () => {
    const [one, two] = instances();
    const cookie = await login(one);
    await send(one, cookie);
    const guess = wrongCode(codeFor(bed.emulator));
    const results = await Promise.all(Array.from({ length: 50 }, (_, i) => verify(i % 2 === 0 ? one : two, cookie, guess)));
    expect(bed.emulator.requestCount('verify')).toBeLessThanOrEqual(5);
    for (const res of results) expect([400, 429]).toContain(res.status);
    expect(results.filter((r) => r.status === 400).length).toBeLessThanOrEqual(4);
    await expectLocked(one, cookie);
  });
});
