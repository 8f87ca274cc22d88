// Expiry: a code lives as long as its challenge record in the store, by the store's clock; a resend retires the earlier code.
import request from 'supertest';
import { codeFor, getAdmin, login, send, verify } from '../helpers/flow';
import { moveClockOn } from '../helpers/clock';
import { challengeKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('expiry', { mfa: { resendCooldownSeconds: 1 } });
afterEach(() => jest.restoreAllMocks());

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

function verifyCalls(): Array<{ scope: string; expirationTimeInMinutes: number }> {
  return bed.emulator.requests
    .filter((r) => r.endpoint === 'verify')
    .map((r) => r.body as { scope: string; expirationTimeInMinutes: number });
}

/** Bandwidth asked only under scopes no code was ever sent under (the same-time check a gone challenge makes): nothing could pass. */
function onlyUnsentScopes(): boolean {
  const sent = new Set(bed.emulator.sent.map((code) => code.scope));
  return verifyCalls().every((call) => !sent.has(call.scope));
}

/** Ages the challenge by the store's clock: `remainingMs` of life left, as Redis counts it. */
async function ageChallenge(remainingMs: number): Promise<void> {
  expect(await bed.redis.pexpire(await challengeKey(bed.redis, bed.prefix), remainingMs)).toBe(1);
}

describe('code expiry', () => {
  test('after a resend the earlier code is refused, even though Bandwidth would still accept it for its own send', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const first = bed.emulator.sent[0];
    await pause(1100);
    await send(bed.app, cookie);
    const second = bed.emulator.sent[1];
    if (first?.code !== second?.code) {
      const res = await verify(bed.app, cookie, first?.code);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_code');
    }
    // Bandwidth is only ever asked about the current send's scope.
    expect(verifyCalls().every((call) => call.scope === second?.scope)).toBe(true);
    expect(second?.scope).not.toBe(first?.scope);
    expect((await verify(bed.app, cookie, second?.code)).status).toBe(200);
  });

  test('a challenge replaced by a send from another session is refused; Bandwidth is asked only under a scope never sent', async () => {
    const tabOne = await login(bed.app);
    await send(bed.app, tabOne);
    const oldCode = codeFor(bed.emulator);
    await pause(1100);
    await send(bed.app, await login(bed.app));
    const res = await verify(bed.app, tabOne, oldCode);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_code');
    expect(bed.emulator.requestCount('verify')).toBe(1);
    expect(onlyUnsentScopes()).toBe(true);
  });

  test('a challenge past its life in the store is refused, Bandwidth asked only under a scope never sent, whatever the host clock says', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    // The host clock says the code has 5 minutes left; the store says it is gone.
    await ageChallenge(1);
    await pause(10);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_code');
    expect(bed.emulator.requestCount('verify')).toBe(1);
    expect(onlyUnsentScopes()).toBe(true);
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    expect((await request(bed.app).get('/2fa/state').set('Cookie', cookie)).body.pending).toBeUndefined();
  });

  test('a host clock running 10 minutes ahead neither expires a live challenge nor widens the window', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    moveClockOn(600);
    // The emulator shares this process's clock; keep Bandwidth's own clock right.
    bed.emulator.advanceTime(-600_000);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(200);
    expect(verifyCalls()[0]?.expirationTimeInMinutes).toBe(1);
  });

  test.each([
    ['a fresh code', 290_000, 10_000],
    ['a code half way through its life', 150_000, 150_000],
    ['a code about to expire', 5_000, 295_000],
  ])('%s: the window sent covers the code and never exceeds its life', async (_label, remainingMs, ageMs) => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    await ageChallenge(remainingMs);
    bed.emulator.advanceTime(ageMs);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(200);
    const window = verifyCalls()[0]?.expirationTimeInMinutes as number;
    expect(window * 60_000).toBeGreaterThanOrEqual(ageMs);
    expect(window).toBeLessThanOrEqual(5);
    // The smallest whole minute that holds the code (a few seconds of margin for the send call and drift).
    expect(window).toBeLessThanOrEqual(Math.ceil((ageMs + 15_000) / 60_000));
  });

  test('with a 2-minute life, a code that Bandwidth has held for 3 minutes is refused by Bandwidth too', async () => {
    const app = bed.appWith({ codeTtlMinutes: 2 });
    const cookie = await login(app);
    await send(app, cookie);
    // Defence in depth: even were the store record to outlive the code, the window sent stops Bandwidth.
    await ageChallenge(5_000);
    bed.emulator.advanceTime(180_000);
    const res = await verify(app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(400);
    expect(verifyCalls()[0]?.expirationTimeInMinutes).toBeLessThanOrEqual(2);
  });
});
