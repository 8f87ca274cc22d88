// `npm run admin`: unlock, reset-2fa and devices from a separate process, on the app's database and Redis; effects seen through the app.
import { execFile } from 'node:child_process';
import path from 'node:path';
import request from 'supertest';
import { REDIS_URL, closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { postgresDatabase, sqliteDatabase, type TestDatabase } from './helpers/databases';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, submit } from './helpers/form-browser';
import { enterCode, lastCode, outlastCooldown, sendCode, signIn, signInWithCode } from './helpers/sign-in-steps';
import { wrongCode } from '../helpers/flow';

const ADMIN = path.join(__dirname, '..', '..', 'example-app', 'admin.js');
const FROM_SRC = path.join(__dirname, 'helpers', 'library-from-src.js');
const UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

jest.setTimeout(60_000);

interface Run {
  status: number;
  stdout: string;
  stderr: string;
}

/** Runs example-app/admin.js in a process of its own (library from src/, as the app under jest), with only `env`. */
function admin(args: string[], env: Record<string, string>): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['-r', FROM_SRC, ADMIN, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        const status = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ status, stdout, stderr });
      },
    );
  });
}

describe('admin command: usage', () => {
  const env = { DATABASE_URL: 'sqlite:/nonexistent/never-opened.sqlite' };

  test.each([
    ['no arguments', 2, []],
    ['a command without a username', 2, ['unlock']],
    ['two usernames', 2, ['devices', 'a', 'b']],
    ['an unknown command', 1, ['delete-user', 'demo']],
  ])('%s: exit %d with the usage on stderr, nothing opened', async (_label, status, args) => {
    const run = await admin(args as string[], env);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('Usage: npm run admin -- <command> <username>');
  });

  test('--help: the usage on stdout, exit 0', async () => {
    const run = await admin(['--help'], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/unlock <username>[\s\S]*reset-2fa <username>[\s\S]*devices <username>/);
  });
});

describe('admin command on SQLite and the shared Redis', () => {
  let database: TestDatabase;
  let prefix: string;
  let instance: ExampleApp;
  let env: Record<string, string>;

  beforeEach(async () => {
    database = await sqliteDatabase();
    prefix = uniquePrefix('example-admin');
    env = { DATABASE_URL: database.url, REDIS_URL, REDIS_KEY_PREFIX: prefix, MFA_MAX_ATTEMPTS: '2', MFA_RESEND_COOLDOWN_SECONDS: '1' };
    instance = await startExampleApp(env);
  });
  afterEach(async () => {
    await instance.close();
    await database.drop();
  });

  const demoId = async () => (await instance.accounts.findByUsername(DEMO.username))?.id as string;

  test('an unknown user is an error that changes nothing', async () => {
    for (const command of ['unlock', 'reset-2fa', 'devices']) {
      const run = await admin([command, 'nobody'], env);
      expect(run.status).toBe(1);
      expect(run.stdout).toBe('');
      expect(run.stderr).toMatch(/No user named "nobody" in .*accounts\.sqlite\. Usernames are case-sensitive\./);
    }
    // Names are exact: "Demo" is not "demo".
    expect((await admin(['reset-2fa', 'Demo'], env)).status).toBe(1);
    expect((await instance.accounts.findByUsername(DEMO.username))?.phoneNumber).toBe(DEMO.phone);
  });

  test('unlock: a locked-out user can enter the code already sent at once', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await agent.get('/admin');
    await sendCode(agent);
    const right = lastCode(instance.emulator);
    await enterCode(agent, wrongCode(right));
    await enterCode(agent, wrongCode(right));
    expect((await agent.get('/2fa')).status).toBe(429);

    const run = await admin(['unlock', DEMO.username], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toBe('Unlocked demo: lockouts and failed-attempt counts cleared.\n');
    expect(run.stderr).toMatch(/mfa user_unlocked user=\S+ actor=admin-cli/);
    expect((await agent.get('/2fa')).status).toBe(200);
    expect((await enterCode(agent, right)).headers.location).toBe('/admin');
  });

  test('devices: one line per trusted browser; none once the user revoked them', async () => {
    const agent = browser(instance.app).set('User-Agent', UA);
    await signInWithCode(agent, instance.emulator, { rememberDevice: 'on' });
    const [device] = await instance.mfa.listTrustedDevices(await demoId());

    const run = await admin(['devices', DEMO.username], env);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('demo has 1 trusted browser:');
    expect(lines[1]).toBe('id\ttrusted since\tuntil\tuser agent');
    expect(lines[2]?.split('\t')).toEqual([
      device?.deviceId,
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/),
      UA,
    ]);

    await submit(agent, '/account', '/account/trusted-browsers/revoke-all', {});
    const after = await admin(['devices', DEMO.username], env);
    expect(after.status).toBe(0);
    expect(after.stdout).toBe('demo has no trusted browsers.\n');
  });

  test('budgets lists the number range near its budget; allow adds an entry every instance honours; a wrong entry is refused', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await agent.get('/admin');
    // Three codes nobody enters: the demo number's range (+12015550, the number less 3 digits) is past half its budget of 5.
    for (let i = 0; i < 3; i += 1) {
      if (i > 0) await outlastCooldown();
      expect((await sendCode(agent)).status).toBe(303);
    }
    const run = await admin(['budgets'], env);
    expect(run.status).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('bucket\tsent\tverified\tlimit\tstate\tresets in');
    expect(lines[1]?.split('\t')).toEqual(['prefix:+12015550', '3', '0', '5', 'near', expect.stringMatching(/^\d+ s$/)]);
    expect(lines.at(-1)).toBe('Allow-list: empty.');

    const allowed = await admin(['allow', '+12015550'], env);
    expect(allowed.status).toBe(0);
    expect(allowed.stdout).toMatch(/^Allowed \+12015550: sends to or from it bypass the send budgets/);
    expect((await instance.mfa.listSendBudgetAllowList()).map((e) => e.entry)).toEqual(['+12015550']);
    expect((await admin(['budgets'], env)).stdout).toMatch(/Allow-list: \+12015550\n$/);

    const wrong = await admin(['allow', 'everyone'], env);
    expect(wrong.status).toBe(1);
    expect(wrong.stderr).toMatch(/^allow: an allow-list entry must be a country code \("US"\), a number prefix in E.164/m);
    expect((await admin(['budgets', 'demo'], env)).status).toBe(2);
    expect((await admin(['disallow', '+12015550'], env)).stdout).toBe('Removed +12015550 from the allow-list.\n');
    expect(await instance.mfa.listSendBudgetAllowList()).toEqual([]);
  });

  test('reset-2fa: number, recovery codes, trusted browsers and lockout gone; the user enrols again at the next sign-in', async () => {
    const id = await demoId();
    const trusted = browser(instance.app).set('User-Agent', UA);
    await signInWithCode(trusted, instance.emulator, { rememberDevice: 'on' });
    await instance.mfa.generateRecoveryCodes(id);
    const locked = browser(instance.app);
    await signIn(locked);
    await locked.get('/admin');
    await new Promise((resolve) => setTimeout(resolve, 1100));
    await sendCode(locked);
    const wrong = wrongCode(lastCode(instance.emulator));
    await enterCode(locked, wrong);
    await enterCode(locked, wrong);
    expect((await locked.get('/2fa')).status).toBe(429);
    // Only demo has used the second factor under this prefix: every per-user key is demo's.
    const userKeys = async () => {
      const redis = createRedis();
      try {
        return await redis.keys(`${prefix}mfa:{u:*`);
      } finally {
        await closeClient(redis);
      }
    };
    expect((await userKeys()).length).toBeGreaterThan(0);

    const run = await admin(['reset-2fa', DEMO.username], env);
    expect(run.status).toBe(0);
    expect(run.stdout).toMatch(/^Reset the second factor of demo: phone number, recovery codes, trusted browsers and lockouts removed/);
    expect(run.stdout).toContain(
      'Sessions of demo signed in before now stay signed in but cannot add a number: they are asked to sign in again first.',
    );
    expect(run.stderr).toMatch(/mfa second_factor_reset user=\S+ actor=admin-cli/);

    expect(await instance.accounts.findById(id)).toMatchObject({ phoneNumber: null });
    expect(await instance.accounts.countRecoveryCodes(id)).toBe(0);
    expect(await instance.mfa.listTrustedDevices(id)).toEqual([]);
    // Seen through the app: no lockout, no number, so enrolment next, from the trusted browser too.
    expect((await locked.get('/admin')).headers.location).toBe('/2fa/enrol');
    expect((await locked.get('/2fa/enrol')).status).toBe(200);
    // But a session signed in before the reset (whoever holds the password) adds no number: sign in again first.
    const refused = await submit(locked, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: '+12015550166' });
    expect([refused.status, refused.headers.location]).toEqual([303, '/login']);
    expect(instance.emulator?.sent.map((sent) => sent.to)).not.toContain('+12015550166');
    await submit(trusted, '/2fa/enrol', '/logout', {});
    await signIn(trusted);
    expect((await trusted.get('/admin')).headers.location).toBe('/2fa/enrol');
    // Nothing of the user's is left in the store but the mark of the reset (none of the sign-ins above sends).
    expect((await userKeys()).map((key) => key.replace(/^.*\}:/, ''))).toEqual(['factor-reset']);
  });

  test("without REDIS_URL: unlock and devices refuse (the app's memory is out of reach); reset-2fa does the database part and warns", async () => {
    const local = { DATABASE_URL: database.url };
    const unlock = await admin(['unlock', DEMO.username], local);
    expect(unlock.status).toBe(1);
    expect(unlock.stderr).toContain('REDIS_URL is not set: lockouts and trusted browsers live in the memory of the running app');
    expect((await admin(['devices', DEMO.username], local)).status).toBe(1);
    const reset = await admin(['reset-2fa', DEMO.username], local);
    expect(reset.status).toBe(0);
    expect(reset.stderr).toContain(
      "The running app keeps this user's lockouts and trusted browsers until it restarts, and sessions signed in before now may still add a number.",
    );
    expect((await instance.accounts.findByUsername(DEMO.username))?.phoneNumber).toBeNull();
  });

  test('an unreachable Redis is an error naming what to check, not a success', async () => {
    const run = await admin(['unlock', DEMO.username], { ...env, REDIS_URL: 'redis://127.0.0.1:1' });
    expect(run.status).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(
      /unlock failed \(\w+.*\)\. Check that the database \(DATABASE_URL\) and Redis \(REDIS_URL\) are reachable\./,
    );
  });
});

describe('admin command on PostgreSQL', () => {
  let database: TestDatabase;
  let instance: ExampleApp;
  beforeEach(async () => {
    database = await postgresDatabase();
  });
  afterEach(async () => {
    await instance?.close();
    await database.drop();
  });

  test('reset-2fa on a user who signed up and enrolled', async () => {
    const prefix = uniquePrefix('example-admin-pg');
    const secret = 'recovery-code-secret-of-the-admin-postgres-test-0123456789';
    const env = { DATABASE_URL: database.url, REDIS_URL, REDIS_KEY_PREFIX: prefix, MFA_RECOVERY_CODE_SECRET: secret };
    instance = await startExampleApp(env);
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/signup').send({ username: 'pat', password: 'pat-password-1' });
    await api.post('/2fa/enrol/send').send({ phoneNumber: '+12015550177' });
    const enrolled = await api.post('/2fa/enrol/verify').send({ code: lastCode(instance.emulator, '+12015550177') });
    expect(enrolled.body.recoveryCodes).toHaveLength(10);

    const run = await admin(['reset-2fa', 'pat'], env);
    expect(run.status).toBe(0);
    const pat = await instance.accounts.findByUsername('pat');
    expect(pat?.phoneNumber).toBeNull();
    expect(await instance.accounts.countRecoveryCodes(pat?.id as string)).toBe(0);
    expect((await api.get('/admin')).body).toMatchObject({ error: 'enrolment_required' });
    expect((await admin(['unlock', 'nobody'], env)).status).toBe(1);
  });
});
