// With REDIS_URL: sessions and lockouts survive an app restart; an unreachable Redis gets a quick 503, never a pass.
import request from 'supertest';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { REDIS_URL, uniquePrefix } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { privateRedis } from '../helpers/redis-server';
import { sqliteDatabase, type TestDatabase } from './helpers/databases';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, sessionCookieOf } from './helpers/form-browser';
import { enterCode, lastCode, sendCode, signIn } from './helpers/sign-in-steps';
import { wrongCode } from '../helpers/flow';

const SECRET = 'session-secret-shared-by-both-instances-0123456789';
let emulator: BandwidthEmulator;
const running: ExampleApp[] = [];
// One accounts database per test, shared by the instances of that test, as in production.
let database: TestDatabase;

beforeAll(async () => {
  // One Bandwidth for both instances, as in production.
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  database = await sqliteDatabase();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.close()));
  await database.drop();
});

function envFor(prefix: string, extra: Record<string, string> = {}) {
  return {
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    DATABASE_URL: database.url,
    SESSION_SECRET: SECRET,
    BANDWIDTH_ACCOUNT_ID: emulator.accountId,
    BANDWIDTH_USERNAME: 'api-user',
    BANDWIDTH_PASSWORD: 'api-pass',
    BANDWIDTH_MFA_BASE_URL: emulator.baseUrl,
    BANDWIDTH_MESSAGING_APPLICATION_ID: 'messaging-app-id',
    BANDWIDTH_FROM_NUMBER: '+12025550199',
    ...extra,
  };
}

async function start(env: Record<string, string>): Promise<ExampleApp> {
  const instance = await startExampleApp(env);
  running.push(instance);
  return instance;
}

const adminAs = (instance: ExampleApp, cookie: string) =>
  request(instance.app).get('/admin').set('Accept', 'application/json').set('Cookie', cookie);

describe('example app with REDIS_URL', () => {
  test('a restart does not sign the user out: a second instance on the same Redis takes over the session', async () => {
    const prefix = uniquePrefix('example-restart');
    const first = await start(envFor(prefix));
    expect(first.logs.join('\n')).not.toMatch(/REDIS_URL is not set/);
    const agent = browser(first.app);
    await signIn(agent);
    await sendCode(agent);
    const cookie = sessionCookieOf((await enterCode(agent, lastCode(emulator))).headers);
    expect((await adminAs(first, cookie)).status).toBe(200);
    await first.close();
    running.splice(running.indexOf(first), 1);

    const second = await start(envFor(prefix));
    const res = await adminAs(second, cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ username: DEMO.username, secondFactor: true });
  });

  test('a session of another deployment (another prefix) is not accepted', async () => {
    const first = await start(envFor(uniquePrefix('example-a')));
    const agent = browser(first.app);
    await signIn(agent);
    await sendCode(agent);
    const cookie = sessionCookieOf((await enterCode(agent, lastCode(emulator))).headers);
    const other = await start(envFor(uniquePrefix('example-b')));
    expect((await adminAs(other, cookie)).status).toBe(401);
  });

  test('a lockout made on one instance holds on the other', async () => {
    const prefix = uniquePrefix('example-lock');
    const env = envFor(prefix, { MFA_MAX_ATTEMPTS: '2' });
    const [one, two] = [await start(env), await start(env)];
    const agent = browser(one.app);
    await signIn(agent);
    await sendCode(agent);
    const wrong = wrongCode(lastCode(emulator));
    await enterCode(agent, wrong);
    expect((await enterCode(agent, wrong)).headers.location).toBe('/2fa?error=locked_out&wait=900');
    const elsewhere = browser(two.app);
    await signIn(elsewhere);
    const page = await elsewhere.get('/2fa');
    expect(page.status).toBe(429);
    expect(page.text).toContain('Too many attempts. Try again in 15 minutes.');
  });

  test('an unreachable Redis: the app starts, and every request gets 503 at once, never a page that grants anything', async () => {
    const port = await freePort();
    const instance = await start(envFor(uniquePrefix('example-down'), { REDIS_URL: `redis://127.0.0.1:${port}` }));
    expect(instance.logs.join('\n')).toMatch(new RegExp(`Redis at 127.0.0.1:${port} is unavailable`));
    const page = await request(instance.app).get('/login');
    expect(page.status).toBe(503);
    expect(page.headers['retry-after']).toBe('5');
    const login = await request(instance.app)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: DEMO.username, password: DEMO.password });
    expect(login.status).toBe(503);
    expect(login.body.error).toBe('service_unavailable');
    expect((await request(instance.app).get('/admin').set('Accept', 'application/json')).status).toBe(503);
    // Static files need no session and still load, so the 503 page is styled.
    expect((await request(instance.app).get('/static/style.css')).status).toBe(200);
  });

  test('Redis dying under a verified session: 503, never a pass', async () => {
    const redis = privateRedis(await freePort());
    await redis.start();
    try {
      const instance = await start(envFor(uniquePrefix('example-dies'), { REDIS_URL: `redis://127.0.0.1:${redis.port}` }));
      const agent = browser(instance.app);
      await signIn(agent);
      await sendCode(agent);
      const cookie = sessionCookieOf((await enterCode(agent, lastCode(emulator))).headers);
      expect((await adminAs(instance, cookie)).status).toBe(200);

      await redis.kill();
      const down = await adminAs(instance, cookie);
      expect(down.status).toBe(503);
      expect(down.body.error).toBe('service_unavailable');
    } finally {
      await redis.kill();
    }
  });
});
