// "Trust this browser": a signed cookie skips the login challenge for its own user only, until revoked.
import type { Express } from 'express';
import request from 'supertest';
import { middleware, memoryStore } from '../../src';
import { mfaOf, sessionCookie, USERS } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('trust');

function trustCookieOf(headers: Record<string, unknown>): string | undefined {
  const cookies = (headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith('mfa_trusted='));
}

/** Signs in, verifies with the box ticked, returns the `mfa_trusted=...` pair. */
async function trustBrowser(target: Express = bed.app, username = 'alice'): Promise<string> {
  const cookie = await login(target, username);
  await send(target, cookie);
  const res = await verify(target, cookie, codeFor(bed.emulator, username), { rememberDevice: true });
  expect(res.status).toBe(200);
  const trust = trustCookieOf(res.headers);
  if (!trust) throw new Error('no trusted-device cookie was set');
  return trust.split(';')[0] as string;
}

function adminWith(target: Express, ...cookies: string[]) {
  return request(target).get('/admin').set(JSON_HEADERS).set('Cookie', cookies.join('; '));
}

describe('remembering a browser', () => {
  test('the cookie is HttpOnly, SameSite=Lax, lives the configured days and holds no user id', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator), { rememberDevice: 'on' });
    const header = trustCookieOf(res.headers) as string;
    expect(header).toMatch(/HttpOnly/);
    expect(header).toMatch(/SameSite=Lax/);
    expect(header).toMatch(/Max-Age=2592000/);
    expect(header).not.toContain(USERS.alice?.id);
    expect(bed.events.filter((e) => e.type === 'device_trusted')).toHaveLength(1);
  });

  test('a trusted browser skips the login challenge next time, under a new session id', async () => {
    const trust = await trustBrowser();
    const sid = await login(bed.app);
    const res = await adminWith(bed.app, sid, trust);
    expect(res.status).toBe(200);
    expect(sessionCookie(res.headers)).not.toBe(sid);
    expect(bed.emulator.sent).toHaveLength(1);
    expect(bed.events.filter((e) => e.type === 'trusted_device_used')).toHaveLength(1);
  });

  test('without the box ticked no cookie is set and the next login needs a code', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(200);
    expect(trustCookieOf(res.headers)).toBeUndefined();
  });

  test('a rememberDevice that is not a yes or a no is a 400 with no provider call', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator), { rememberDevice: ['on'] });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_request' });
    expect(bed.emulator.requestCount('verify')).toBe(0);
  });

  test('trust works on another app instance sharing the store', async () => {
    const trust = await trustBrowser();
    const other = bed.appWith();
    const sid = await login(other);
    expect((await adminWith(other, sid, trust)).status).toBe(200);
  });

  test('trustedDevices: false ignores the box', async () => {
    const off = bed.appWith({ trustedDevices: false });
    const cookie = await login(off);
    await send(off, cookie);
    const res = await verify(off, cookie, codeFor(bed.emulator), { rememberDevice: true });
    expect(res.status).toBe(200);
    expect(trustCookieOf(res.headers)).toBeUndefined();
  });
});

describe('what a trusted browser never gets', () => {
  test('a step-up check with maxAgeSeconds still needs a fresh code', async () => {
    const trust = await trustBrowser();
    const sid = await login(bed.app);
    const fresh = await request(bed.app).get('/admin/fresh').set(JSON_HEADERS).set('Cookie', `${sid}; ${trust}`);
    expect(fresh.status).toBe(401);
    expect(fresh.body).toMatchObject({ error: 'second_factor_required' });
  });

  test("another user's session is not let in by alice's cookie", async () => {
    const trust = await trustBrowser();
    const bob = await login(bed.app, 'bob');
    expect((await adminWith(bed.app, bob, trust)).status).toBe(401);
  });

  test('a tampered cookie is refused and counted like a wrong code', async () => {
    const trust = await trustBrowser();
    const forged = `${trust.slice(0, -3)}${trust.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (let i = 0; i < 5; i += 1) {
      const sid = await login(bed.app);
      expect((await adminWith(bed.app, sid, forged)).status).toBe(401);
    }
    expect(bed.events.filter((e) => e.reason === 'forged_trusted_device_cookie')).toHaveLength(5);
    // Five forgeries are the default limit: the user is now locked out, even with the genuine cookie.
    const sid = await login(bed.app);
    expect((await send(bed.app, sid)).body).toMatchObject({ error: 'locked_out' });
    expect((await adminWith(bed.app, sid, trust)).status).toBe(401);
  });

  test('revokeTrustedDevices(userId) ends every trusted browser of that user', async () => {
    // The resend cooldown is per user: a short one lets the same user trust several browsers in a row.
    const cooled = bed.appWith({ resendCooldownSeconds: 1 });
    const pause = () => new Promise((r) => setTimeout(r, 1100));
    const first = await trustBrowser(cooled);
    await pause();
    const second = await trustBrowser(cooled);
    await mfaOf(bed.app).revokeTrustedDevices(USERS.alice?.id as string);
    for (const trust of [first, second]) {
      expect((await adminWith(bed.app, await login(bed.app), trust)).status).toBe(401);
    }
    // A browser trusted after the revocation works again.
    await pause();
    const third = await trustBrowser(cooled);
    expect((await adminWith(bed.app, await login(bed.app), third)).status).toBe(200);
  });

  test('revokeTrustedDevice(userId, deviceId) ends that browser only', async () => {
    const trust = await trustBrowser();
    const deviceId = bed.events.find((e) => e.type === 'device_trusted')?.deviceId as string;
    expect(await mfaOf(bed.app).revokeTrustedDevice(USERS.alice?.id as string, deviceId)).toBe(true);
    expect((await adminWith(bed.app, await login(bed.app), trust)).status).toBe(401);
  });

  test('a cookie whose record expired in the store is ignored', async () => {
    const trust = await trustBrowser();
    const keys = await bed.redis.keys(`${bed.prefix}mfa:*:devices`);
    expect(keys).toHaveLength(1);
    await bed.redis.pexpire(keys[0] as string, 1);
    await new Promise((r) => setTimeout(r, 20));
    expect((await adminWith(bed.app, await login(bed.app), trust)).status).toBe(401);
  });
});

describe('trustedDevices options', () => {
  const base = {
    bandwidth: { sendCode: async () => ({ id: 'x' }), verifyCode: async () => false },
    getUser: () => null,
    store: memoryStore(),
  };

  test('a short secret is refused without being quoted back', () => {
    expect(() => middleware({ ...base, trustedDevices: { secret: 'hunter2-short' } })).toThrow(/trustedDevices\.secret.*at least 32/);
    expect(() => middleware({ ...base, trustedDevices: { secret: 'hunter2-short' } })).not.toThrow(/hunter2/);
  });

  test('days beyond a year and misspelled keys are refused with a fix', () => {
    expect(() => middleware({ ...base, trustedDevices: { days: 400 } })).toThrow(/trustedDevices\.days.*0 to 365/);
    expect(() => middleware({ ...base, trustedDevices: { dayz: 3 } as never })).toThrow(/Did you mean `trustedDevices\.days`/);
  });

  test('an app secret signs cookies that every instance with the same secret accepts', async () => {
    const secret = 'a-secret-of-at-least-thirty-two-characters!';
    const one = bed.appWith({ trustedDevices: { secret } });
    const trust = await trustBrowser(one);
    const two = bed.appWith({ trustedDevices: { secret } });
    expect((await adminWith(two, await login(two), trust)).status).toBe(200);
    const otherSecret = bed.appWith({ trustedDevices: { secret: `${secret}-rotated` } });
    expect((await adminWith(otherSecret, await login(otherSecret), trust)).status).toBe(401);
  });
});
