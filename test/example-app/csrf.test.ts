// Cross-site request forgery: every form post needs a token signed for this browser's CSRF cookie (and, once signed
// in, its session); JSON bodies need none; showing a form creates no session.
import request from 'supertest';
import { closeClient, createRedis, REDIS_URL, uniquePrefix } from '../helpers/redis';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { browser, csrfOf } from './helpers/form-browser';
import { lastCode, sendCode, signIn } from './helpers/sign-in-steps';

const instance = useExampleApp();
const others: ExampleApp[] = [];
afterEach(async () => {
  await Promise.all(others.splice(0).map((app) => app.close()));
});

const cookiesOf = (res: request.Response) => (res.headers['set-cookie'] as unknown as string[] | undefined) ?? [];
const csrfCookieOf = (res: request.Response) =>
  cookiesOf(res)
    .find((c) => c.startsWith('csrf='))
    ?.split(';')[0] as string;
const postLogin = (app: Pick<ExampleApp, 'app'>, cookie: string, token: string) =>
  request(app.app)
    .post('/login')
    .set('Cookie', cookie)
    .type('form')
    .send({ _csrf: token, username: DEMO.username, password: DEMO.password });

describe('example app CSRF protection', () => {
  test('showing the sign-in and sign-up forms creates no session, and writes nothing to Redis', async () => {
    for (const page of ['/login', '/signup']) {
      const res = await request(instance.app).get(page);
      expect(res.status).toBe(200);
      expect(cookiesOf(res).filter((c) => c.startsWith('sid='))).toEqual([]);
      expect(csrfCookieOf(res)).toMatch(/^csrf=[A-Za-z0-9_-]{43}$/);
    }

    const prefix = uniquePrefix('example-csrf');
    const redis = createRedis();
    const withRedis = await startExampleApp({ REDIS_URL, REDIS_KEY_PREFIX: prefix });
    others.push(withRedis);
    try {
      for (let i = 0; i < 20; i += 1) expect((await request(withRedis.app).get(i % 2 ? '/login' : '/signup')).status).toBe(200);
      expect(await redis.keys(`${prefix}*`)).toEqual([]);
      // A sign-in does write its session: the check above would see one.
      await request(withRedis.app)
        .post('/login')
        .set('Accept', 'application/json')
        .send({ username: DEMO.username, password: DEMO.password });
      expect(await redis.keys(`${prefix}sess:*`)).toHaveLength(1);
    } finally {
      const keys = await redis.keys(`${prefix}*`);
      if (keys.length > 0) await redis.del(...keys);
      await closeClient(redis);
    }
  });

  test('the right token with its cookie is accepted', async () => {
    const page = await request(instance.app).get('/login');
    const res = await postLogin(instance, csrfCookieOf(page), csrfOf(page.text));
    expect(res.status).toBe(303);
  });

  test('a form post without the token is refused and does nothing', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    const forged = await agent.post('/2fa/send').type('form').send({ channel: 'sms' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Form expired');
    expect(instance.emulator?.sent).toHaveLength(0);
  });

  test('a token without its cookie, or with the cookie of another browser, is refused', async () => {
    const mine = await request(instance.app).get('/login');
    const theirs = await request(instance.app).get('/login');
    expect(
      (
        await request(instance.app)
          .post('/login')
          .type('form')
          .send({ _csrf: csrfOf(mine.text), username: DEMO.username, password: DEMO.password })
      ).status,
    ).toBe(403);
    expect((await postLogin(instance, csrfCookieOf(theirs), csrfOf(mine.text))).status).toBe(403);
  });

  test('a wrong token of the right length is refused', async () => {
    const page = await request(instance.app).get('/login');
    const token = csrfOf(page.text);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    expect((await postLogin(instance, csrfCookieOf(page), flipped)).status).toBe(403);
  });

  test("a cookie and field of the attacker's choosing are refused: the field must be the server's HMAC of the cookie", async () => {
    const nonce = 'A'.repeat(43);
    // Plain double submit (the same value twice) is what a cookie-planting attacker could forge.
    expect((await postLogin(instance, `csrf=${nonce}`, nonce)).status).toBe(403);
    // A token signed under another secret (another deployment, or a guess) does not match either.
    const other = await startExampleApp({ SESSION_SECRET: 'another-deployment-secret-0123456789-abcdef' });
    others.push(other);
    const foreign = await request(other.app).get('/login');
    expect((await postLogin(instance, csrfCookieOf(foreign), csrfOf(foreign.text))).status).toBe(403);
  });

  test("instances that share SESSION_SECRET accept each other's tokens", async () => {
    const env = { SESSION_SECRET: 'shared-by-both-instances-0123456789-abcdefgh' };
    const [one, two] = [await startExampleApp(env), await startExampleApp(env)];
    others.push(one, two);
    const page = await request(one.app).get('/login');
    expect((await postLogin(two, csrfCookieOf(page), csrfOf(page.text))).status).toBe(303);
  });

  test('once signed in the token is bound to the session: the token of the sign-in page or of another session is refused', async () => {
    const agent = browser(instance.app);
    const loginPage = await agent.get('/login');
    const anonymousToken = csrfOf(loginPage.text);
    await agent.post('/login').type('form').send({ _csrf: anonymousToken, username: DEMO.username, password: DEMO.password });
    // Same CSRF cookie, but the token was made before the session existed.
    expect((await agent.post('/2fa/send').type('form').send({ _csrf: anonymousToken, channel: 'sms' })).status).toBe(403);

    // An attacker signed in as themselves with the victim's cookie value gets a token for their own session only.
    const attacker = request.agent(instance.app).set('Accept', 'text/html').set('Cookie', csrfCookieOf(loginPage));
    await attacker.post('/login').type('form').send({ _csrf: anonymousToken, username: DEMO.username, password: DEMO.password });
    const attackerToken = csrfOf((await attacker.get('/2fa')).text);
    expect((await agent.post('/2fa/send').type('form').send({ _csrf: attackerToken, channel: 'sms' })).status).toBe(403);
    expect(instance.emulator?.sent).toHaveLength(0);

    expect(
      (
        await agent
          .post('/2fa/send')
          .type('form')
          .send({ _csrf: csrfOf((await agent.get('/2fa')).text), channel: 'sms' })
      ).status,
    ).toBe(303);
  });

  test('a verify form without the token cannot spend the code, and sign-out needs it too', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const forged = await agent
      .post('/2fa/verify')
      .type('form')
      .send({ code: lastCode(instance.emulator) });
    expect(forged.status).toBe(403);
    expect(instance.emulator?.requestCount('verify')).toBe(0);
    expect((await agent.post('/logout')).status).toBe(403);
    expect((await agent.get('/2fa')).status).toBe(200);
  });

  test('text/plain posts (which a cross-site form can send) need the token', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    const res = await agent.post('/2fa/send').set('Content-Type', 'text/plain').send('{"channel":"sms"}');
    expect(res.status).toBe(403);
    expect(instance.emulator?.sent).toHaveLength(0);
  });

  test('JSON requests go through without a token (browsers cannot send them cross-site without CORS)', async () => {
    const api = request.agent(instance.app);
    const login = await api.post('/login').set('Accept', 'application/json').send({ username: DEMO.username, password: DEMO.password });
    expect(login.status).toBe(200);
    const sent = await api.post('/2fa/send').send({ channel: 'sms' });
    expect(sent.status).toBe(200);
    // No CORS: a preflight gets no Access-Control-Allow-* answer.
    const preflight = await api.options('/2fa/send').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
