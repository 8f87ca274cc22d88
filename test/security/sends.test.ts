// Sends cost money: no send without a signed-in, unlocked user, and per-user cooldown and cap hold everywhere, even under a race.
import type { Express } from 'express';
import request from 'supertest';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('sends');

function deployment(mfa = {}): [Express, Express] {
  return [bed.appWith(mfa), bed.appWith(mfa)];
}

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));
const providerSends = () => bed.emulator.requestCount('messaging') + bed.emulator.requestCount('voice');

describe('sending codes', () => {
  test('no signed-in user: no send, by JSON or form, with or without a forged number', async () => {
    const [app] = deployment();
    const json = await request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms', to: '+12025559999', userId: 'user-alice' });
    expect(json.status).toBe(401);
    const form = await request(app).post('/2fa/send').set('Accept', 'text/html').type('form').send({ channel: 'voice' });
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/login');
    expect(providerSends()).toBe(0);
  });

  test('a locked-out user: no send, from any session or instance', async () => {
    const [one, two] = deployment();
    const cookie = await login(one);
    await send(one, cookie);
    for (let i = 0; i < 5; i += 1) await verify(one, cookie, wrongCode(codeFor(bed.emulator)));
    const before = providerSends();
    for (const [app, channel] of [
      [one, 'sms'],
      [two, 'voice'],
    ] as const) {
      const res = await send(app, await login(app), { channel });
      expect(res.status).toBe(429);
      expect(res.body.error).toBe('locked_out');
    }
    expect(providerSends()).toBe(before);
  });

  test('the cooldown holds across sessions, channels and instances', async () => {
    const [one, two] = deployment();
    expect((await send(one, await login(one), { channel: 'sms' })).status).toBe(200);
    const res = await send(two, await login(two), { channel: 'voice' });
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('resend_cooldown');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
    expect(providerSends()).toBe(1);
  });

  test('the cooldown is per user: another user still gets a code', async () => {
    const [one, two] = deployment();
    expect((await send(one, await login(one, 'alice'))).status).toBe(200);
    expect((await send(two, await login(two, 'bob'))).status).toBe(200);
  });

  test('the hourly cap holds across sessions, channels and instances', async () => {
    const [one, two] = deployment({ resendCooldownSeconds: 1, maxSendsPerHour: 2 });
    expect((await send(one, await login(one), { channel: 'sms' })).status).toBe(200);
    await pause(1100);
    expect((await send(two, await login(two), { channel: 'voice' })).status).toBe(200);
    for (const [app, channel] of [
      [one, 'voice'],
      [two, 'sms'],
    ] as const) {
      await pause(1100);
      const res = await send(app, await login(app), { channel });
      expect(res.status).toBe(429);
      expect(res.body.error).toBe('send_limit_reached');
    }
    expect(providerSends()).toBe(2);
  });

  test('sends raced while one is in flight: exactly one reaches Bandwidth', async () => {
    const [one, two] = deployment();
    // Slow Bandwidth: every other send arrives while the first is still waiting for its answer.
    bed.emulator.injectFault({ endpoint: 'any', delayMs: 300 });
    const cookies = await Promise.all(Array.from({ length: 6 }, (_, i) => login(i % 2 === 0 ? one : two)));
    const results = await Promise.all(
      cookies.map((cookie, i) => send(i % 2 === 0 ? one : two, cookie, { channel: i % 3 === 0 ? 'voice' : 'sms' })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 429 && r.body.error === 'resend_cooldown')).toHaveLength(5);
    expect(providerSends()).toBe(1);
  });
});
