// Forced browsing: after the password step alone, no protected route answers, whatever the method, format or timing.
import request from 'supertest';
import { sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('forced');

/** Every way a client may ask for a protected resource: methods, formats, path spellings. */
function attempts(cookie: string) {
  const html = { Accept: 'text/html' };
  return [
    ['GET JSON', request(bed.app).get('/admin').set(JSON_HEADERS)],
    ['GET HTML', request(bed.app).get('/admin').set(html)],
    ['GET with no Accept', request(bed.app).get('/admin')],
    ['GET */*', request(bed.app).get('/admin').set('Accept', '*/*')],
    ['HEAD', request(bed.app).head('/admin')],
    ['GET upper case path', request(bed.app).get('/ADMIN').set(JSON_HEADERS)],
    ['GET trailing slash', request(bed.app).get('/admin/').set(JSON_HEADERS)],
    [
      'POST JSON claiming verified',
      request(bed.app)
        .post('/admin/action')
        .set(JSON_HEADERS)
        .send({ verified: true, mfa: { verified: { '2FA': {} } } }),
    ],
    ['POST form claiming verified', request(bed.app).post('/admin/action').set(html).type('form').send({ verified: 'true' })],
    ['POST text/plain', request(bed.app).post('/admin/action').set('Content-Type', 'text/plain').send('verified=true')],
  ].map(([label, req]) => [label, (req as request.Test).set('Cookie', cookie)] as const);
}

async function expectAllRefused(cookie: string): Promise<void> {
  for (const [label, req] of attempts(cookie)) {
    const res = await req;
    const refused = res.status === 401 || (res.status === 302 && ['/2fa', '/login'].includes(res.headers.location as string));
    if (!refused) throw new Error(`${label} was answered ${res.status} ${res.headers.location ?? ''}`);
    expect(res.body?.admin).toBeUndefined();
    expect(res.body?.done).toBeUndefined();
  }
}

describe('forced browsing', () => {
  test('after the password step every protected route refuses, in every method and format', async () => {
    await expectAllRefused(await login(bed.app));
  });

  test('a pending challenge, a wrong code or a failed provider call open nothing either', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    await expectAllRefused(cookie);
    expect((await verify(bed.app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(400);
    await expectAllRefused(cookie);
    bed.emulator.injectFault({ endpoint: 'verify', status: 500, times: 1 });
    expect((await verify(bed.app, cookie, codeFor(bed.emulator))).status).toBe(502);
    await expectAllRefused(cookie);
  });

  test('the right code opens them: the refusals above are about the missing factor', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    const sid = sessionCookie(res.headers);
    expect((await request(bed.app).get('/admin').set(JSON_HEADERS).set('Cookie', sid)).status).toBe(200);
    expect((await request(bed.app).post('/admin/action').set(JSON_HEADERS).set('Cookie', sid)).status).toBe(200);
  });

  test('a password step raced against protected requests on one cookie lets none of them through', async () => {
    const cookie = await login(bed.app);
    const protectedCalls = Array.from({ length: 20 }, (_, i) =>
      i % 2 === 0
        ? request(bed.app).get('/admin').set(JSON_HEADERS).set('Cookie', cookie)
        : request(bed.app).post('/admin/action').set(JSON_HEADERS).set('Cookie', cookie).send({}),
    );
    const relogin = request(bed.app).post('/login').set(JSON_HEADERS).set('Cookie', cookie).send({ username: 'alice' });
    const [loginRes, ...results] = await Promise.all([relogin, ...protectedCalls]);
    expect(results.map((r) => r.status)).toEqual(results.map(() => 401));
    // The session the raced login produced is a password-step session too.
    expect((await request(bed.app).get('/admin').set(JSON_HEADERS).set('Cookie', sessionCookie(loginRes.headers))).status).toBe(401);
  });

  test("forged trusted-browser cookies, or another user's genuine one, open nothing", async () => {
    const bob = await login(bed.app, 'bob');
    await send(bed.app, bob);
    const remembered = await verify(bed.app, bob, codeFor(bed.emulator, 'bob'), { rememberDevice: true });
    expect(remembered.status).toBe(200);
    const bobsTrust = (remembered.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mfa_trusted='))?.split(';')[0];
    expect(bobsTrust).toBeDefined();
    const alice = await login(bed.app, 'alice');
    for (const trust of [bobsTrust as string, 'mfa_trusted=true', 'mfa_trusted=v1.a.b.c.0.9999999999.sig', `${bobsTrust as string}x`]) {
      const res = await request(bed.app).get('/admin').set(JSON_HEADERS).set('Cookie', `${alice}; ${trust}`);
      expect(res.status).toBe(401);
    }
    // The genuine cookie does work for its own user: the refusals above are about whose it is.
    const bobAgain = await login(bed.app, 'bob');
    expect(
      (
        await request(bed.app)
          .get('/admin')
          .set(JSON_HEADERS)
          .set('Cookie', `${bobAgain}; ${bobsTrust as string}`)
      ).status,
    ).toBe(200);
  });

  test('with no session at all, nothing is served', async () => {
    for (const [label, req] of attempts('other=1')) {
      const res = await req;
      if (res.status !== 401 && !(res.status === 302 && String(res.headers.location).startsWith('/login'))) {
        throw new Error(`${label} was answered ${res.status}`);
      }
    }
  });
});
