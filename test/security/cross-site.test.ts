// Cross-site posts: a page of another site cannot make the signed-in user's browser send codes, spend attempts or lock the user.
import request from 'supertest';
import { createMfa, memoryStore } from '../../src';
import { createTestApp } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('cross-site');

const EVIL = 'https://evil.example';

/** A form post as a browser sends it from a page of `origin`, to this app at app.example.com. */
function formPost(app: ReturnType<typeof bed.appWith>, path: string, cookie: string, body: object, headers: Record<string, string>) {
  return request(app)
    .post(path)
    .type('form')
    .set('Accept', 'text/html')
    .set('Host', 'app.example.com')
    .set('Cookie', cookie)
    .set(headers)
    .send(body);
}

describe('a form post from another site', () => {
  test('to verify: 403 cross_site_request, no attempt counted, no provider call, no session write', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const wrong = wrongCode(codeFor(bed.emulator));
    for (let i = 0; i < 5; i += 1) {
      const res = await formPost(bed.app, '/2fa/verify', cookie, { code: wrong }, { Origin: EVIL, 'Sec-Fetch-Site': 'cross-site' });
      expect(res.status).toBe(403);
      expect(res.text).toMatch(/another website/);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(bed.emulator.requestCount('verify')).toBe(0);
    expect(bed.events.filter((e) => e.type === 'code_rejected' || e.type === 'locked_out')).toEqual([]);
    // Five refused posts, and the user still has every attempt.
    expect((await verify(bed.app, cookie, wrong)).body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 });
  });

  test('to send: refused in JSON too, and nothing is sent', async () => {
    const cookie = await login(bed.app);
    const res = await request(bed.app)
      .post('/2fa/send')
      .set(JSON_HEADERS)
      .set('Origin', EVIL)
      .set('Cookie', cookie)
      .send({ channel: 'voice' });
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ error: 'cross_site_request', message: expect.stringMatching(/another website/) });
    expect(bed.emulator.sent).toEqual([]);
    expect((await send(bed.app, cookie)).status).toBe(200);
  });

  test.each([
    ['Sec-Fetch-Site cross-site alone', { 'Sec-Fetch-Site': 'cross-site' }],
    ['an opaque Origin (null)', { Origin: 'null' }],
    ['an opaque Origin from a sibling site', { Origin: 'null', 'Sec-Fetch-Site': 'same-site' }],
    ['another port of the same host', { Origin: 'http://app.example.com:8080' }],
    ['https from a site served over http', { Origin: 'https://app.example.com' }],
    ['a look-alike host', { Origin: 'http://app.example.com.evil.example' }],
  ])('%s: refused', async (_label, headers) => {
    const cookie = await login(bed.app);
    const res = await formPost(bed.app, '/2fa/send', cookie, { channel: 'sms' }, headers);
    expect(res.status).toBe(403);
    expect(bed.emulator.sent).toEqual([]);
  });

  test("in front of sendRateLimit(): refused before the address's budget is spent", async () => {
    const app = createTestApp({
      redis: bed.redis,
      prefix: bed.prefix,
      emulator: bed.emulator,
      beforeSend: (instance) => [instance.sendRateLimit({ limit: 1 })],
    });
    const cookie = await login(app);
    for (let i = 0; i < 3; i += 1)
      expect((await formPost(app, '/2fa/send', cookie, { channel: 'sms' }, { Origin: EVIL })).status).toBe(403);
    expect((await formPost(app, '/2fa/send', cookie, { channel: 'sms' }, { Origin: 'http://app.example.com' })).status).toBe(303);
    expect(bed.emulator.sent).toHaveLength(1);
  });

  test("the answer is in the request's language", async () => {
    const res = await formPost(bed.app, '/2fa/send', await login(bed.app), {}, { Origin: EVIL, 'Accept-Language': 'fr' });
    expect(res.text).toMatch(/autre site/);
  });
});

describe('posts that pass', () => {
  test.each([
    ["the site's own origin", { Origin: 'http://app.example.com', 'Sec-Fetch-Site': 'same-origin' }],
    ['no Origin nor Sec-Fetch-Site (curl, a server)', {}],
    ['Sec-Fetch-Site none (typed by the user)', { 'Sec-Fetch-Site': 'none' }],
    [
      "Origin null from the site's own page under Referrer-Policy: no-referrer (Chromium)",
      { Origin: 'null', 'Sec-Fetch-Site': 'same-origin' },
    ],
  ])('%s', async (_label, headers) => {
    const cookie = await login(bed.app);
    const res = await formPost(bed.app, '/2fa/send', cookie, { channel: 'sms' }, headers);
    expect(res.status).toBe(303);
    expect(bed.emulator.sent).toHaveLength(1);
  });

  test("behind a proxy with `trust proxy`: the origin the browser saw (https) is the site's own", async () => {
    const app = bed.appWith();
    app.set('trust proxy', true);
    const cookie = await login(app);
    const proxied = { Origin: 'https://app.example.com', 'X-Forwarded-Proto': 'https' };
    const res = await formPost(app, '/2fa/send', cookie, { channel: 'sms' }, proxied);
    expect(res.status).toBe(303);
  });

  test('an origin in `trustedOrigins`, whatever its case', async () => {
    const app = bed.appWith({ trustedOrigins: ['https://accounts.example.com'] });
    const cookie = await login(app);
    const sibling = { Origin: 'https://Accounts.Example.com', 'Sec-Fetch-Site': 'same-site' };
    const res = await formPost(app, '/2fa/send', cookie, { channel: 'sms' }, sibling);
    expect(res.status).toBe(303);
    expect((await formPost(app, '/2fa/verify', cookie, { code: codeFor(bed.emulator) }, { Origin: EVIL })).status).toBe(403);
  });
});

describe('`trustedOrigins` is checked at start-up', () => {
  const options = {
    bandwidth: { sendCode: async () => ({ id: 'unused' }), verifyCode: async () => false },
    getUser: () => null,
    store: memoryStore(),
  };
  test.each([
    ['a path', ['https://app.example.com/login']],
    ['a trailing slash', ['https://app.example.com/']],
    ['a bare host', ['app.example.com']],
    ['a wildcard', ['*']],
    ['another scheme', ['ftp://app.example.com']],
    ['not a string', [42]],
  ])('%s is a TypeError naming the entry', (_label, trustedOrigins) => {
    expect(() => createMfa({ ...options, trustedOrigins: trustedOrigins as string[] })).toThrow(/`trustedOrigins\[0\]` must be an origin/);
  });

  test('a string instead of an array is a TypeError', () => {
    expect(() => createMfa({ ...options, trustedOrigins: 'https://app.example.com' as unknown as string[] })).toThrow(TypeError);
  });

  test('origins with a port are fine', () => {
    expect(() => createMfa({ ...options, trustedOrigins: ['http://localhost:3000', 'https://app.example.com'] })).not.toThrow();
  });
});
