// Trusted-browser cookies under attack: revocations that must hold, cookies that are not ours, instances that disagree on the key.
import type { Express } from 'express';
import request from 'supertest';
import { memoryStore } from '../../src';
import { mfaOf, USERS } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('trust-attacks');
const alice = USERS.alice?.id as string;

function trustCookieOf(headers: Record<string, unknown>, name = 'mfa_trusted'): string | undefined {
  const cookies = (headers['set-cookie'] as string[] | undefined) ?? [];
  return cookies.find((c) => c.startsWith(`${name}=`))?.split(';')[0];
}

/** Signs alice in on `app`, sends a code and enters it with the box ticked, `headers` on the verify request. */
async function verifyTrusting(app: Express, headers: Record<string, string> = {}) {
  const cookie = await login(app);
  await send(app, cookie);
  return request(app)
    .post('/2fa/verify')
    .set(JSON_HEADERS)
    .set(headers)
    .set('Cookie', cookie)
    .send({ code: codeFor(bed.emulator), rememberDevice: true });
}

async function trustBrowser(app: Express, headers: Record<string, string> = {}, name?: string): Promise<string> {
  const res = await verifyTrusting(app, headers);
  expect(res.status).toBe(200);
  const trust = trustCookieOf(res.headers, name);
  if (!trust) throw new Error('no trusted-device cookie was set');
  return trust;
}

function adminWith(app: Express, ...cookies: string[]) {
  return request(app).get('/admin').set(JSON_HEADERS).set('Cookie', cookies.join('; '));
}

const forgeries = () => bed.events.filter((e) => e.reason === 'forged_trusted_device_cookie').length;

describe('revocation holds for as long as the cookies it revoked live', () => {
  test('a revoked browser is not trusted again after a later revocation, whatever the store clock did', async () => {
    let now = Date.now();
    const app = bed.appWith({ store: memoryStore({ now: () => now }), resendCooldownSeconds: 1 });
    await mfaOf(app).revokeTrustedDevices(alice);
    now += 20 * 86_400_000;
    const trust = await trustBrowser(app);
    now += 9 * 86_400_000;
    await mfaOf(app).revokeTrustedDevices(alice);
    expect((await adminWith(app, await login(app), trust)).status).toBe(401);
    // Thirty-one days after the first revocation (when a counter made then would have expired), revoke again.
    now += 2 * 86_400_000;
    await mfaOf(app).revokeTrustedDevices(alice);
    expect((await adminWith(app, await login(app), trust)).status).toBe(401);
    expect(bed.events.filter((e) => e.type === 'trusted_device_used')).toHaveLength(0);
  });

  test('listing shows the browsers still trusted, and revoking one leaves the others', async () => {
    const app = bed.appWith({ resendCooldownSeconds: 1 });
    const first = await trustBrowser(app, { 'User-Agent': 'First Browser/1.0' });
    await new Promise((r) => setTimeout(r, 1100));
    const second = await trustBrowser(app, { 'User-Agent': 'Second Browser/2.0' });
    const listed = await mfaOf(app).listTrustedDevices(alice);
    expect(listed.map((d) => d.userAgent)).toEqual(['First Browser/1.0', 'Second Browser/2.0']);
    expect(await mfaOf(app).revokeTrustedDevice(alice, listed[0]!.deviceId, { actor: 'alice' })).toBe(true);
    expect((await adminWith(app, await login(app), first)).status).toBe(401);
    expect((await adminWith(app, await login(app), second)).status).toBe(200);
    expect((await mfaOf(app).listTrustedDevices(alice)).map((d) => d.deviceId)).toEqual([listed[1]!.deviceId]);
    expect(bed.events.find((e) => e.type === 'trusted_device_revoked')).toMatchObject({ deviceId: listed[0]!.deviceId, actor: 'alice' });
  });
});

describe('a cookie that is not ours is no evidence of an attack', () => {
  test.each([
    ["another app's session token", 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl'],
    ['a random word', 'hello'],
    ['an older format', 'v1.abc.def.ghi.0.9999999999.sig'],
    ['our shape, signed by a key nobody here holds', 'v2.AAAAAAAA.user.device.token.9999999999.signaturesignaturesig'],
  ])('%s: ignored on every guarded request, never counted, never a lockout', async (_label, value) => {
    const app = bed.appWith();
    for (let i = 0; i < 8; i += 1) {
      const res = await adminWith(app, await login(app), `mfa_trusted=${value}`);
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('second_factor_required');
    }
    expect(forgeries()).toBe(0);
    expect((await send(app, await login(app))).status).toBe(200);
  });

  test("a locked-out user's forged cookie is not counted again and does not re-arm the lockout", async () => {
    const app = bed.appWith();
    const trust = await trustBrowser(app);
    const forged = `${trust.slice(0, -3)}${trust.endsWith('AAA') ? 'BBB' : 'AAA'}`;
    for (let i = 0; i < 5; i += 1) await adminWith(app, await login(app), forged);
    expect(forgeries()).toBe(5);
    const [lockoutKey] = await bed.redis.keys(`${bed.prefix}mfa:*:lockout`);
    await bed.redis.pexpire(lockoutKey as string, 60_000);
    for (let i = 0; i < 5; i += 1) expect((await adminWith(app, await login(app), forged)).status).toBe(401);
    expect(forgeries()).toBe(5);
    expect(await bed.redis.pttl(lockoutKey as string)).toBeLessThanOrEqual(60_000);
  });

  test('on HTTPS the cookie is __Host- prefixed, so a sibling subdomain cannot plant or shadow it', async () => {
    const app = bed.appWith();
    app.set('trust proxy', 'loopback');
    const https = { 'X-Forwarded-Proto': 'https' };
    const res = await verifyTrusting(app, https);
    const header = ((res.headers['set-cookie'] as unknown as string[]) ?? []).find((c) => c.startsWith('__Host-mfa_trusted='));
    expect(header).toMatch(/; Path=\//);
    expect(header).toMatch(/; Secure/);
    expect(header).not.toMatch(/Domain=/i);
    const trust = header!.split(';')[0] as string;
    expect(
      (
        await request(app)
          .get('/admin')
          .set(JSON_HEADERS)
          .set(https)
          .set('Cookie', `${await login(app)}; ${trust}`)
      ).status,
    ).toBe(200);
    // The unprefixed name, which a sibling subdomain could set, is not even read on HTTPS.
    const planted = `mfa_trusted=${trust.slice('__Host-mfa_trusted='.length)}`;
    expect(
      (
        await request(app)
          .get('/admin')
          .set(JSON_HEADERS)
          .set(https)
          .set('Cookie', `${await login(app)}; ${planted}`)
      ).status,
    ).toBe(401);
  });
});

describe('instances that disagree on the signing key', () => {
  test("converge after the shared key was lost, and never call each other's cookies forged", async () => {
    const first = bed.appWith();
    const older = await trustBrowser(first);
    // The shared key is lost (a flush, an eviction); a new instance creates another.
    await bed.redis.del(`${bed.prefix}mfa:trusted-devices:signing-key`);
    const second = bed.appWith();
    await new Promise((r) => setTimeout(r, 1100));
    const newer = await trustBrowser(second);

    // The first instance meets a cookie of a key it does not hold: it reads the store again and adopts it.
    expect((await adminWith(first, await login(first), newer)).status).toBe(200);
    // The older cookie's key is gone everywhere: no trust, but no forgery either.
    expect((await adminWith(second, await login(second), older)).status).toBe(401);
    expect((await adminWith(first, await login(first), older)).status).toBe(401);
    expect(forgeries()).toBe(0);
  });
});
