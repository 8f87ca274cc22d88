// Verifying codes: the right one passes once, wrong ones are counted in the shared store, limits lock.
import request from 'supertest';
import { sessionCookie } from '../helpers/create-app';
import { codeFor, getAdmin, login, postRawJson, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('verify');

describe('verifying a code', () => {
  test('the right code verifies, regenerates the session and opens protected routes', async () => {
    const cookie = await login(bed.app);
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(200);
    // /admin sent the user here, so verification leads back to it.
    expect(res.body).toEqual({ verified: true, redirectTo: '/admin' });
    const newCookie = sessionCookie(res.headers);
    expect(newCookie).not.toBe(cookie);
    expect((await getAdmin(bed.app, newCookie)).status).toBe(200);
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    const call = bed.emulator.requests.find((r) => r.path.endsWith('/code/verify'));
    expect(call?.body).toEqual({
      to: '+12025550101',
      code: codeFor(bed.emulator),
      scope: bed.emulator.sent[0]?.scope,
      expirationTimeInMinutes: 1,
    });
    expect(bed.events.map((e) => e.type)).toEqual(['code_sent', 'code_verified']);
  });

  test('a wrong code is 400 invalid_code with the attempts left', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, wrongCode(codeFor(bed.emulator)));
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_code', message: expect.any(String), attemptsRemaining: 4 });
  });

  test.each([
    ['too short', '123'],
    ['too long', '1234567'],
    ['letters', '12a456'],
    ['full-width digits', '１２３４５６'],
    ['Arabic-Indic digits', '١٢٣٤٥٦'],
    ['spaces', ' 12345'],
    ['a number', 123456],
    ['an array', ['123456']],
    ['an object', { $ne: '' }],
    ['null', null],
    ['10 000 characters', '1'.repeat(10_000)],
  ])('a code that is %s is 400 with no provider call and no attempt counted', async (_label, code) => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(bed.emulator.requestCount('verify')).toBe(0);
    const right = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(right.status).toBe(200);
  });

  test('a body that is not JSON or a form is 400 in the documented format', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await postRawJson(bed.app, '/2fa/verify', cookie).send('{"code": ');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request', message: expect.any(String) });
  });

  test('without a pending challenge: no_pending_challenge', async () => {
    const cookie = await login(bed.app);
    const res = await verify(bed.app, cookie, '123456');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('no_pending_challenge');
    expect(bed.emulator.requestCount('verify')).toBe(0);
  });

  test('after the attempt limit the user is locked out and even the right code is refused unasked', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const right = codeFor(bed.emulator);
    for (let i = 0; i < 4; i += 1) expect((await verify(bed.app, cookie, wrongCode(right))).status).toBe(400);
    const fifth = await verify(bed.app, cookie, wrongCode(right));
    expect(fifth.status).toBe(429);
    expect(fifth.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 900 });
    expect(fifth.body.message).toBe('Too many attempts. Try again in 15 minutes.');
    const calls = bed.emulator.requestCount('verify');
    const after = await verify(bed.app, cookie, right);
    expect(after.status).toBe(429);
    expect(after.headers['retry-after']).toMatch(/^\d+$/);
    expect(bed.emulator.requestCount('verify')).toBe(calls);
    expect(bed.events.filter((e) => e.type === 'locked_out')).toHaveLength(1);
  });

  test('a code is single use: a second verify of it fails', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const code = codeFor(bed.emulator);
    const first = await verify(bed.app, cookie, code);
    expect(first.status).toBe(200);
    // The verified session has no pending challenge left to answer...
    const again = await verify(bed.app, sessionCookie(first.headers), code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'no_pending_challenge' });
    // ...and the session that received the code no longer exists.
    const replay = await verify(bed.app, cookie, code);
    expect(replay.status).toBe(401);
    expect(replay.body).toMatchObject({ error: 'authentication_required' });
  });

  test('after a resend the earlier code is refused', async () => {
    const app = bed.appWith({ resendCooldownSeconds: 1 });
    const cookie = await login(app);
    await send(app, cookie);
    const first = codeFor(bed.emulator);
    await new Promise((r) => setTimeout(r, 1100));
    await send(app, cookie);
    const second = codeFor(bed.emulator);
    if (first !== second) {
      const res = await verify(app, cookie, first);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_code');
    }
    expect((await verify(app, cookie, second)).status).toBe(200);
  });

  test('a Bandwidth 429 becomes a lockout with the wait its sentence gives', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    bed.emulator.injectFault({
      endpoint: 'verify',
      status: 429,
      body: { error: 'This number has exceeded verification attempts, please wait 3 minutes', requestId: 'r-1' },
    });
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(429);
    expect(res.headers['retry-after']).toBe('180');
    expect(res.body).toMatchObject({ error: 'locked_out', retryAfterSeconds: 180, message: 'Too many attempts. Try again in 3 minutes.' });
    const sendWhileLocked = await send(bed.app, await login(bed.app));
    expect(sendWhileLocked.status).toBe(429);
  });

  test('the redirect target saved by requireSecondFactor comes back after verification', async () => {
    const cookie = await login(bed.app);
    const page = await request(bed.app).get('/admin?tab=users').set('Cookie', cookie).set('Accept', 'text/html');
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/2fa');
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.body.redirectTo).toBe('/admin?tab=users');
  });
});
