// PostgreSQL + Redis: a user who signed up and enrolled is still there after a restart, same number, same recovery codes left.
import request from 'supertest';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { REDIS_URL, uniquePrefix } from '../helpers/redis';
import { postgresDatabase, type TestDatabase } from './helpers/databases';
import { startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, sessionCookieOf, submit } from './helpers/form-browser';
import { signIn } from './helpers/sign-in-steps';
import { enrolPhone, recoveryCodesOn, signUp } from './helpers/enrolment-steps';

const PHONE = '+12015550188';

let emulator: BandwidthEmulator;
let database: TestDatabase;
const running: ExampleApp[] = [];

beforeAll(async () => {
  // One Bandwidth for both lives of the app, as in production.
  emulator = await startBandwidthEmulator();
});
afterAll(async () => {
  await emulator.close();
});
beforeEach(async () => {
  database = await postgresDatabase();
});
afterEach(async () => {
  await Promise.all(running.splice(0).map((instance) => instance.close()));
  await database.drop();
});

function envFor(prefix: string): Record<string, string> {
  return {
    DATABASE_URL: database.url,
    REDIS_URL,
    REDIS_KEY_PREFIX: prefix,
    SESSION_SECRET: 'session-secret-shared-by-both-lives-of-the-app-0123456789',
    MFA_RECOVERY_CODE_SECRET: 'recovery-code-secret-shared-by-both-lives-0123456789',
    BANDWIDTH_ACCOUNT_ID: emulator.accountId,
    BANDWIDTH_CLIENT_ID: 'client-id',
    BANDWIDTH_CLIENT_SECRET: 'client-secret',
    BANDWIDTH_TOKEN_URL: emulator.tokenUrl,
    BANDWIDTH_MFA_BASE_URL: emulator.baseUrl,
    BANDWIDTH_MESSAGING_APPLICATION_ID: 'messaging-app-id',
    BANDWIDTH_FROM_NUMBER: '+12025550199',
  };
}

async function start(env: Record<string, string>): Promise<ExampleApp> {
  // The real password settings here: the one app test that signs up and in with them.
  const instance = await startExampleApp(env, { realPasswordCost: true });
  running.push(instance);
  return instance;
}

async function stop(instance: ExampleApp): Promise<void> {
  running.splice(running.indexOf(instance), 1);
  await instance.close();
}

describe('example app on PostgreSQL and Redis, across a restart', () => {
  test('the enrolled user keeps the number and the recovery codes left; the session and the codes still work', async () => {
    const env = envFor(uniquePrefix('example-persist'));
    const first = await start(env);
    const agent = browser(first.app);
    await signUp(agent, 'uma', 'uma-password-long-1');
    const enrolled = await enrolPhone(agent, emulator, PHONE);
    expect(enrolled.headers.location).toBe('/2fa/recovery-codes');
    const cookie = sessionCookieOf(enrolled.headers);
    const codes = recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text);
    expect(codes).toHaveLength(10);
    await submit(agent, '/2fa/recovery-codes', '/2fa/recovery-codes/saved', { saved: 'yes' });
    // One code spent before the restart, in another browser.
    const api = request.agent(first.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: 'uma', password: 'uma-password-long-1' });
    expect((await api.post('/2fa/recovery').send({ recoveryCode: codes[0] })).body).toMatchObject({ recoveryCodesLeft: 9 });
    const before = await first.accounts.findByUsername('uma');
    await stop(first);

    const second = await start(env);
    expect(second.accounts.engine).toBe('postgres');
    expect(await second.accounts.findByUsername('uma')).toEqual(before);
    // The browser's session lives in Redis: still signed in with its second factor.
    const account = await request(second.app).get('/account').set('Accept', 'application/json').set('Cookie', cookie);
    expect(account.status).toBe(200);
    expect(account.body).toMatchObject({ username: 'uma', maskedPhoneNumber: '+1******0188', recoveryCodesLeft: 9 });

    // A new sign-in: the password (real scrypt settings), then a recovery code made before the restart.
    const again = browser(second.app);
    expect((await signIn(again, 'uma', 'uma-password-long-1')).headers.location).toBe('/admin');
    expect((await again.get('/admin')).headers.location).toBe('/2fa');
    expect((await submit(again, '/2fa', '/2fa/recovery', { recoveryCode: codes[0] as string })).headers.location).toBe(
      '/2fa?form=recovery&error=invalid_code',
    );
    expect((await submit(again, '/2fa', '/2fa/recovery', { recoveryCode: codes[1] as string })).headers.location).toBe(
      '/2fa/recovery-codes',
    );
    // The new set waits to be shown; until then the old one is in force.
    expect((await again.get('/account').set('Accept', 'application/json')).body).toMatchObject({ recoveryCodesLeft: 8 });
    expect(second.logs.join('\n')).not.toMatch(/MFA_RECOVERY_CODE_SECRET is not set/);
  });
});
