// EXAMPLE_USERS_FILE on a real database: inserted at the first start, updated at the next, kept across restarts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { ENGINES, type TestDatabase } from './helpers/databases';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser } from './helpers/form-browser';
import { signIn } from './helpers/sign-in-steps';

describe.each(ENGINES)('users file on %s', (_engine, createDatabase) => {
  let database: TestDatabase;
  let dir: string;
  let file: string;
  const running: ExampleApp[] = [];
  const start = async (env: Record<string, string> = { EXAMPLE_USERS_FILE: file }) => {
    const instance = await startExampleApp({ DATABASE_URL: database.url, ...env });
    running.push(instance);
    return instance;
  };
  const stop = async (instance: ExampleApp) => {
    running.splice(running.indexOf(instance), 1);
    await instance.close();
  };
  const writeUsers = (records: unknown[]) => fs.writeFileSync(file, JSON.stringify(records));

  beforeEach(async () => {
    database = await createDatabase();
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-users-'));
    file = path.join(dir, 'users.json');
  });
  afterEach(async () => {
    await Promise.all(running.splice(0).map((instance) => instance.close()));
    await database.drop();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('a second start updates the password and the number of a known user, keeping its id', async () => {
    writeUsers([{ username: 'carol', password: 'carol-password-1', phone: '+12015550123' }]);
    const first = await start();
    const before = await first.accounts.findByUsername('carol');
    expect(before).toMatchObject({ phoneNumber: '+12015550123' });
    await stop(first);

    writeUsers([{ username: 'carol', password: 'carol-password-2', phone: '+12025550123' }]);
    const second = await start();
    expect(await second.accounts.findByUsername('carol')).toEqual({ ...before, phoneNumber: '+12025550123' });
    expect((await signIn(browser(second.app), 'carol', 'carol-password-1')).status).toBe(401);
    expect((await signIn(browser(second.app), 'carol', 'carol-password-2')).status).toBe(303);
  });

  test('a record without a phone: a new user has none and is sent to enrolment; a known user keeps theirs', async () => {
    writeUsers([
      { username: 'dave', password: 'dave-password-1' },
      { username: 'erin', password: 'erin-password-1', phone: '+12015550124' },
    ]);
    const first = await start();
    expect(await first.accounts.findByUsername('dave')).toMatchObject({ phoneNumber: null });
    const agent = browser(first.app);
    expect((await signIn(agent, 'dave', 'dave-password-1')).headers.location).toBe('/admin');
    expect((await agent.get('/admin')).headers.location).toBe('/2fa/enrol');
    await stop(first);

    writeUsers([
      { username: 'dave', password: 'dave-password-1' },
      { username: 'erin', password: 'erin-password-1' },
    ]);
    const second = await start();
    expect(await second.accounts.findByUsername('erin')).toMatchObject({ phoneNumber: '+12015550124' });
    await stop(second);

    // An explicit null removes the number.
    writeUsers([{ username: 'erin', password: 'erin-password-1', phone: null }]);
    const third = await start();
    expect(await third.accounts.findByUsername('erin')).toMatchObject({ phoneNumber: null });
  });

  test('a user without a number who signs in is sent to enrolment from every protected page, in HTML and JSON', async () => {
    writeUsers([{ username: 'frank', password: 'frank-password-1' }]);
    const instance = await start();
    const agent = browser(instance.app);
    await signIn(agent, 'frank', 'frank-password-1');
    for (const page of ['/2fa', '/admin', '/admin/transfer']) expect((await agent.get(page)).headers.location).toBe('/2fa/enrol');
    const api = request.agent(instance.app).set('Accept', 'application/json');
    // The sign-in answer names the protected page; the library's guard there says enrolment comes first.
    expect((await api.post('/login').send({ username: 'frank', password: 'frank-password-1' })).body).toEqual({
      signedIn: true,
      redirectTo: '/admin',
    });
    const admin = await api.get('/admin');
    expect(admin.status).toBe(403);
    expect(admin.body).toMatchObject({ error: 'enrolment_required' });
    // Nothing can be sent to a user without a number.
    const send = await api.post('/2fa/send').send({ channel: 'sms' });
    expect(send.status).toBe(403);
    expect(send.body).toMatchObject({ error: 'enrolment_required' });
    expect(instance.emulator?.sent).toHaveLength(0);
  });

  test('without a file the demo user is created; once a file is used, the demo user with the published password is removed', async () => {
    const demo = await start({});
    expect(await demo.accounts.findByUsername(DEMO.username)).toMatchObject({ phoneNumber: DEMO.phone });
    await stop(demo);

    writeUsers([{ username: 'grace', password: 'grace-password-1', phone: '+12015550126' }]);
    const real = await start();
    expect(await real.accounts.findByUsername(DEMO.username)).toBeUndefined();
    expect(real.logs.join('\n')).toMatch(/Removed the user "demo" with the published password/);
    expect((await signIn(browser(real.app), DEMO.username, DEMO.password)).status).toBe(401);
  });

  test('restart persistence through the app: a signed-up user signs in again after a restart', async () => {
    const first = await start({});
    const signup = await request(first.app)
      .post('/signup')
      .set('Accept', 'application/json')
      .send({ username: 'heidi', password: 'heidi-password-1' });
    expect(signup.status).toBe(201);
    const heidi = await first.accounts.findByUsername('heidi');
    await first.accounts.setPhoneNumber(heidi?.id as string, '+12025550127');
    await first.accounts.replaceRecoveryCodes(heidi?.id as string, ['h-1', 'h-2']);
    await stop(first);

    const second = await start({});
    expect(await second.accounts.findByUsername('heidi')).toEqual({ ...heidi, phoneNumber: '+12025550127' });
    expect(await second.accounts.countRecoveryCodes(heidi?.id as string)).toBe(2);
    const login = await request(second.app)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: 'heidi', password: 'heidi-password-1' });
    expect(login.body).toEqual({ signedIn: true, redirectTo: '/admin' });
  });
});
