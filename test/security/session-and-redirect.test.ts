// Session fixation, open redirects after verification, and challenges that outlive their deadline in a busy session.
import request from 'supertest';
import { sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, postForm, send, verify } from '../helpers/flow';
import { challengeKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('session');

const SITE = 'https://app.example';

/** Where a browser on this site goes when given `location`. */
function landsOnSite(location: string): boolean {
  return new URL(location, `${SITE}/2fa/verify`).origin === SITE;
}

const HOSTILE_RETURN_TO = [
  'https://evil.example',
  '//evil.example',
  '/\\evil.example',
  '\\\\evil.example',
  'https:evil.example',
  'HTTPS://EVIL.EXAMPLE',
  'javascript:alert(1)',
  'JaVaScRiPt:alert(1)',
  'javascript%3Aalert(1)',
  'data:text/html,<script>alert(1)</script>',
  '%2F%2Fevil.example',
  '/%2F%2Fevil.example',
  '/%5Cevil.example',
  '/%5C%5Cevil.example',
  '/\t/evil.example',
  '/%09/evil.example',
  '/\n/evil.example',
  '/%0d%0a/evil.example',
  ' //evil.example',
  '///evil.example',
  '/..//evil.example',
  '/.//evil.example',
  '/%2e%2e//evil.example',
  '/admin/..//evil.example',
  '/admin/../..//evil.example',
  '/%252F%252Fevil.example',
  'http://evil.example@app.example',
  '/@evil.example',
];

describe('session ids', () => {
  test('the id changes at the password step and at the second factor; the older ids open nothing', async () => {
    // An anonymous session, as a cart or a planted (fixated) cookie would give.
    const anonymous = await request(bed.app).post('/switch-user-in-place').send({ username: 'nobody-yet' });
    const before = sessionCookie(anonymous.headers);
    const loginRes = await request(bed.app).post('/login').set(JSON_HEADERS).set('Cookie', before).send({ username: 'alice' });
    const afterPassword = sessionCookie(loginRes.headers);
    await send(bed.app, afterPassword);
    const verified = sessionCookie((await verify(bed.app, afterPassword, codeFor(bed.emulator))).headers);
    expect(new Set([before, afterPassword, verified]).size).toBe(3);
    expect((await getAdmin(bed.app, verified)).status).toBe(200);
    for (const old of [before, afterPassword]) {
      expect((await getAdmin(bed.app, old)).status).toBe(401);
      expect((await verify(bed.app, old, codeFor(bed.emulator))).status).toBe(401);
    }
  });
});

describe('redirect after verification', () => {
  test.each(HOSTILE_RETURN_TO)('returnTo %j ends on a same-site path (JSON)', async (returnTo) => {
    const cookie = await login(bed.app);
    expect((await send(bed.app, cookie, { channel: 'sms', returnTo })).status).toBe(200);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(200);
    const target = res.body.redirectTo as string;
    expect(target.startsWith('/')).toBe(true);
    expect(landsOnSite(target)).toBe(true);
  });

  test.each(HOSTILE_RETURN_TO)('returnTo %j ends on a same-site path (browser form)', async (returnTo) => {
    const cookie = await login(bed.app);
    const sent = await postForm(bed.app, '/2fa/send', cookie, { channel: 'sms', returnTo });
    expect(sent.status).toBe(303);
    const res = await postForm(bed.app, '/2fa/verify', cookie, { code: codeFor(bed.emulator) });
    expect(res.status).toBe(303);
    expect(landsOnSite(res.headers.location as string)).toBe(true);
  });

  test('a same-site returnTo is kept, so the cases above are about hostility, not returnTo being ignored', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie, { channel: 'sms', returnTo: '/admin?tab=users#top' });
    expect((await verify(bed.app, cookie, codeFor(bed.emulator))).body.redirectTo).toBe('/admin?tab=users#top');
  });
});

describe('a challenge in a busy session', () => {
  test('expires at its deadline even while activity keeps the session alive', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    // The code's deadline comes in 1.5 s by the store's clock; the user keeps clicking around past it.
    await bed.redis.pexpire(await challengeKey(bed.redis, bed.prefix), 1500);
    for (let i = 0; i < 7; i += 1) {
      await request(bed.app).get('/admin').set('Cookie', cookie).set('Accept', 'text/html');
      await request(bed.app).get('/2fa/state').set('Cookie', cookie);
      await new Promise((r) => setTimeout(r, 300));
    }
    const state = await request(bed.app).get('/2fa/state').set('Cookie', cookie);
    expect(state.body.signedIn).toBe(true);
    expect(state.body.pending).toBeUndefined();
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_code');
    // Bandwidth is asked only as a decoy (so the answer takes as long as a live one), under a scope no code went out under.
    const calls = bed.emulator.requests.filter((r) => r.endpoint === 'verify').map((r) => (r.body as { scope: string }).scope);
    expect(calls).toHaveLength(1);
    expect(bed.emulator.sent.map((sent) => sent.scope)).not.toContain(calls[0]);
  });
});
