// The example app is not an SMS pump: limits per client address on sign-in, sign-up and both send forms, and allowed countries.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { REDIS_URL, uniquePrefix } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { privateRedis } from '../helpers/redis-server';
import { startBandwidthEmulator } from '../../src/testing';
import { DEMO, TEST_RECOVERY_CODE_SECRET, readConfig, startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, csrfOf } from './helpers/form-browser';
import { signIn } from './helpers/sign-in-steps';

interface TrafficModule {
  trafficWarnings(config: unknown): string[];
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { trafficWarnings } = require('../../example-app/lib/traffic-config') as TrafficModule;

const started: ExampleApp[] = [];
async function start(env: Record<string, string>): Promise<ExampleApp> {
  const instance = await startExampleApp({ TRUST_PROXY: '1', ...env });
  started.push(instance);
  return instance;
}
afterEach(async () => {
  for (const instance of started.splice(0)) await instance.close();
});

/** A browser behind the proxy at its own client address. */
function client(instance: ExampleApp, address: string) {
  return browser(instance.app).set('X-Forwarded-For', address);
}

type Agent = ReturnType<typeof client>;

async function signUpAs(agent: Agent, username: string) {
  const page = await agent.get('/signup');
  return agent
    .post('/signup')
    .type('form')
    .send({ _csrf: csrfOf(page.text), username, password: `${username}-password-1` });
}

async function enrolSend(agent: Agent, phoneNumber: string) {
  const page = await agent.get('/2fa/enrol');
  return agent
    .post('/2fa/enrol/send')
    .type('form')
    .send({ _csrf: csrfOf(page.text), phoneNumber, channel: 'sms' });
}

describe('sign-up per address', () => {
  test('past SIGNUP_RATE_LIMIT an address gets a 429 page with the wait, another address still signs up', async () => {
    const instance = await start({ SIGNUP_RATE_LIMIT: '2' });
    const pumper = client(instance, '203.0.113.7');
    expect((await signUpAs(pumper, 'pump1')).headers.location).toBe('/2fa/enrol');
    expect((await signUpAs(pumper, 'pump2')).headers.location).toBe('/2fa/enrol');
    const refused = await signUpAs(pumper, 'pump3');
    expect(refused.status).toBe(429);
    expect(refused.headers['retry-after']).toMatch(/^\d+$/);
    expect(refused.text).toContain('<h1>Too many new accounts</h1>');
    expect(refused.text).toMatch(/Too many accounts were created from your network\. Try again in (60|59) minutes\./);
    expect(await instance.accounts.findByUsername('pump3')).toBeUndefined();

    expect((await signUpAs(client(instance, '198.51.100.20'), 'someone')).headers.location).toBe('/2fa/enrol');
  });

  test('JSON clients get 429 too_many_requests with retryAfterSeconds', async () => {
    const instance = await start({ SIGNUP_RATE_LIMIT: '1' });
    const api = () => request(instance.app).post('/signup').set('Accept', 'application/json').set('X-Forwarded-For', '203.0.113.8');
    expect((await api().send({ username: 'json1', password: 'json1-password-1' })).status).toBe(201);
    const refused = await api().send({ username: 'json2', password: 'json2-password-1' });
    expect(refused.status).toBe(429);
    expect(refused.body).toEqual({
      error: 'too_many_requests',
      message: expect.stringMatching(/^Too many accounts were created from your network\. Try again in \d+ minutes?\.$/),
      retryAfterSeconds: expect.any(Number),
    });
    expect(refused.headers['retry-after']).toBe(String(refused.body.retryAfterSeconds));
  });

  test('with REDIS_URL two instances count one budget per address', async () => {
    const env = { REDIS_URL, REDIS_KEY_PREFIX: uniquePrefix('traffic'), SIGNUP_RATE_LIMIT: '2' };
    const one = await start(env);
    const two = await start(env);
    expect((await signUpAs(client(one, '203.0.113.9'), 'shared1')).status).toBe(303);
    expect((await signUpAs(client(two, '203.0.113.9'), 'shared2')).status).toBe(303);
    expect((await signUpAs(client(one, '203.0.113.9'), 'shared3')).status).toBe(429);
    expect((await signUpAs(client(two, '203.0.113.9'), 'shared4')).status).toBe(429);
  });

  test('a Redis that was down at start-up counts once it is back, with no restart', async () => {
    const redis = privateRedis(await freePort());
    try {
      const instance = await start({ REDIS_URL: `redis://127.0.0.1:${redis.port}`, SIGNUP_RATE_LIMIT: '1' });
      expect(instance.logs.join('\n')).toMatch(/is unavailable/);
      await redis.start();
      await waitFor(async () => (await request(instance.app).get('/signup')).status === 200);
      expect((await signUpAs(client(instance, '203.0.113.14'), 'late1')).status).toBe(303);
      expect((await signUpAs(client(instance, '203.0.113.14'), 'late2')).status).toBe(429);
    } finally {
      await redis.kill();
    }
  });
});

/** Polls until `ready` holds (the app's Redis client reconnects on its own schedule). */
async function waitFor(ready: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if (await ready()) return;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error('not ready after 10 s');
}

describe('sign-in per address', () => {
  test('failed sign-ins count, past LOGIN_RATE_LIMIT even the right password waits; successes cost nothing', async () => {
    const instance = await start({ LOGIN_RATE_LIMIT: '2' });
    const guesser = client(instance, '203.0.113.10');
    expect((await signIn(guesser, DEMO.username, 'wrong-1')).status).toBe(401);
    expect((await signIn(guesser, DEMO.username, 'wrong-2')).status).toBe(401);
    const refused = await signIn(guesser, DEMO.username, DEMO.password);
    expect(refused.status).toBe(429);
    expect(refused.text).toContain('<h1>Too many sign-in attempts</h1>');
    expect(refused.text).toMatch(/Too many failed sign-ins came from your network\. Try again in \d+ minutes?\./);

    const json = await request(instance.app)
      .post('/login')
      .set('Accept', 'application/json')
      .set('X-Forwarded-For', '203.0.113.10')
      .send({ username: DEMO.username, password: DEMO.password });
    expect(json.status).toBe(429);
    expect(json.body).toMatchObject({ error: 'too_many_requests', retryAfterSeconds: expect.any(Number) });

    const user = client(instance, '198.51.100.30');
    for (let i = 0; i < 3; i += 1) expect((await signIn(user)).status).toBe(303);
  });
});

describe('sends per address', () => {
  test("past SEND_RATE_LIMIT the enrolment form comes back with the library's message, and no code goes out", async () => {
    const instance = await start({ SEND_RATE_LIMIT: '1' });
    const pumper = client(instance, '203.0.113.11');
    await signUpAs(pumper, 'pumper');
    expect((await enrolSend(pumper, '+12015550161')).headers.location).toBe('/2fa/enrol?sent=sms');
    const refused = await enrolSend(pumper, '+12015550162');
    expect(refused.status).toBe(303);
    expect(refused.headers.location).toMatch(/^\/2fa\/enrol\?error=send_limit_reached&wait=\d+$/);
    const page = await pumper.get(refused.headers.location as string);
    expect(page.status).toBe(200);
    // At the phone field, where the send form is.
    expect(page.text).toMatch(/<p id="phone-error" class="error" role="alert">Too many codes were requested\. Try again in [^.<]+\.<\/p>/);
    expect(instance.emulator?.sent.map((sent) => sent.to)).toEqual(['+12015550161']);
  });

  test('the sign-in send form is limited apart, and comes back to the challenge page', async () => {
    const instance = await start({ SEND_RATE_LIMIT: '1', MFA_RESEND_COOLDOWN_SECONDS: '1' });
    const agent = client(instance, '203.0.113.12');
    await signIn(agent);
    const send = async () => {
      const page = await agent.get('/2fa');
      return agent
        .post('/2fa/send')
        .type('form')
        .send({ _csrf: csrfOf(page.text), channel: 'sms' });
    };
    expect((await send()).headers.location).toBe('/2fa?sent=sms');
    const refused = await send();
    expect(refused.headers.location).toMatch(/^\/2fa\?error=send_limit_reached&wait=\d+$/);
    expect((await agent.get(refused.headers.location as string)).text).toMatch(/Too many codes were requested\./);
    expect(instance.emulator?.sent).toHaveLength(1);
  });
});

describe('allowed countries', () => {
  test('ALLOWED_COUNTRIES=US,CA: a number elsewhere is refused before any Bandwidth call', async () => {
    const instance = await start({ ALLOWED_COUNTRIES: 'us, CA' });
    const agent = client(instance, '203.0.113.13');
    await signUpAs(agent, 'abroad');
    const refused = await enrolSend(agent, '+447400123456');
    expect(refused.headers.location).toBe('/2fa/enrol?error=destination_not_allowed');
    expect((await agent.get('/2fa/enrol?error=destination_not_allowed')).text).toContain('Codes cannot be sent to this phone number.');
    expect((await enrolSend(agent, '+12015550163')).headers.location).toBe('/2fa/enrol?sent=sms');
    expect(instance.emulator?.sent.map((sent) => sent.to)).toEqual(['+12015550163']);
  });

  test('production with every country allowed says so at start-up; a list silences it', async () => {
    const emulator = await startBandwidthEmulator();
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'traffic-users-'));
    try {
      const usersFile = path.join(dir, 'users.json');
      fs.writeFileSync(usersFile, JSON.stringify([{ username: 'operator', password: 'operator-password-1' }]));
      const production = {
        NODE_ENV: 'production',
        EXAMPLE_USERS_FILE: usersFile,
        MFA_RECOVERY_CODE_SECRET: TEST_RECOVERY_CODE_SECRET,
        SESSION_SECRET: 'x'.repeat(48),
        BANDWIDTH_ACCOUNT_ID: emulator.accountId,
        BANDWIDTH_CLIENT_ID: 'id',
        BANDWIDTH_CLIENT_SECRET: 'secret',
        BANDWIDTH_TOKEN_URL: emulator.tokenUrl,
        BANDWIDTH_MFA_BASE_URL: emulator.baseUrl,
        BANDWIDTH_MESSAGING_APPLICATION_ID: 'app',
        BANDWIDTH_FROM_NUMBER: '+12025550199',
      };
      const open = await start(production);
      expect(open.logs).toContain(
        'ALLOWED_COUNTRIES is not set: codes may be sent to every country, premium destinations included. Set it to the countries your users live in (e.g. ALLOWED_COUNTRIES=US,CA).',
      );
      const listed = await start({ ...production, ALLOWED_COUNTRIES: 'US' });
      expect(listed.logs.filter((line) => line.includes('ALLOWED_COUNTRIES'))).toEqual([]);
    } finally {
      for (const instance of started.splice(0)) await instance.close();
      fs.rmSync(dir, { recursive: true, force: true });
      await emulator.close();
    }
    // Outside production the demo's default (every country) is not worth a warning.
    expect(trafficWarnings(readConfig({}))).toEqual([]);
  });
});

describe('settings', () => {
  test.each([
    [{ SEND_RATE_LIMIT: '0' }, 'SEND_RATE_LIMIT must be a whole number from 1 to 10000; got "0".'],
    [{ LOGIN_RATE_LIMIT: 'ten' }, 'LOGIN_RATE_LIMIT must be a whole number from 1 to 10000; got "ten".'],
    [{ SIGNUP_RATE_LIMIT_WINDOW_MINUTES: '1441' }, 'SIGNUP_RATE_LIMIT_WINDOW_MINUTES must be a whole number from 1 to 1440; got "1441".'],
    [
      { ALLOWED_COUNTRIES: 'US,USA' },
      'ALLOWED_COUNTRIES must be two-letter country codes separated by commas, such as US,CA (or * for every country); "USA" is not one.',
    ],
    [
      { METRICS_TOKEN: 'short' },
      'METRICS_TOKEN must be at least 32 characters (e.g. `openssl rand -base64 32`); unset, /metrics answers this machine only.',
    ],
  ])('%j is refused with what to change', (env, message) => {
    expect(() => readConfig(env)).toThrow(message);
  });

  test('defaults, and what is set', () => {
    expect(readConfig({})).toMatchObject({
      limits: { login: { limit: 10, windowMinutes: 15 }, signup: { limit: 5, windowMinutes: 60 }, send: { limit: 10, windowMinutes: 60 } },
      allowedCountries: undefined,
      metricsToken: undefined,
    });
    expect(readConfig({ ALLOWED_COUNTRIES: '*' })).toMatchObject({ allowedCountries: undefined });
    expect(readConfig({ ALLOWED_COUNTRIES: 'us,ca,US', SEND_RATE_LIMIT: '3', SEND_RATE_LIMIT_WINDOW_MINUTES: '30' })).toMatchObject({
      allowedCountries: ['US', 'CA'],
      limits: { send: { limit: 3, windowMinutes: 30 } },
    });
  });
});
