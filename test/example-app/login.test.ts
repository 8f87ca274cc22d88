// The password step: unknown users and wrong passwords answer alike; users come from a file, hashed at load.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, csrfOf, sessionCookieOf } from './helpers/form-browser';
import { signIn } from './helpers/sign-in-steps';

let instance: ExampleApp;
afterEach(async () => {
  await instance?.close();
});

/** The page with the per-session token taken out, so two answers can be compared whole. */
function withoutToken(html: string): string {
  return html.replace(csrfOf(html), 'TOKEN');
}

describe('example app sign-in', () => {
  test('an unknown user and a wrong password get the same answer, form and JSON', async () => {
    instance = await startExampleApp();
    const unknown = await signIn(browser(instance.app), 'nobody', 'demo-password');
    const wrong = await signIn(browser(instance.app), DEMO.username, 'not-the-password');
    expect(unknown.status).toBe(401);
    expect(wrong.status).toBe(401);
    // Same page except for the username typed, which is given back so it need not be typed again.
    expect(withoutToken(unknown.text).replace('value="nobody"', 'value="X"')).toBe(
      withoutToken(wrong.text).replace('value="demo"', 'value="X"'),
    );
    expect(wrong.text).toContain('<p id="login-error" class="error" role="alert">Wrong username or password.</p>');
    expect(wrong.text).toMatch(/id="password"[^>]*aria-describedby="login-error"/);

    const json = (username: string, password: string) =>
      request(instance.app).post('/login').set('Accept', 'application/json').send({ username, password });
    const [a, b] = [await json('nobody', 'x'), await json(DEMO.username, 'x')];
    expect(a.status).toBe(401);
    expect(a.body).toEqual(b.body);
    expect(a.body).toEqual({ error: 'invalid_credentials', message: 'Wrong username or password.' });
  });

  test('an unknown user costs a full password hash, like a known one', async () => {
    instance = await startExampleApp();
    const scrypt = jest.spyOn(crypto, 'scrypt');
    try {
      const agent = browser(instance.app);
      const page = await agent.get('/login');
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(page.text), username: 'nobody', password: 'guess' });
      expect(scrypt).toHaveBeenCalledTimes(1);
      await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(page.text), username: DEMO.username, password: 'guess' });
      expect(scrypt).toHaveBeenCalledTimes(2);
    } finally {
      scrypt.mockRestore();
    }
  });

  test('a failed sign-in starts no session for the user', async () => {
    instance = await startExampleApp();
    const agent = browser(instance.app);
    await signIn(agent, DEMO.username, 'wrong-password');
    expect((await agent.get('/2fa')).headers.location).toBe('/login');
    expect((await agent.get('/admin')).headers.location).toBe('/login?returnTo=%2Fadmin');
  });

  test('a typed username is given back escaped', async () => {
    instance = await startExampleApp();
    const res = await signIn(browser(instance.app), '"><script>x()</script>', 'whatever');
    expect(res.status).toBe(401);
    expect(res.text).not.toContain('<script>x()');
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
  });

  test('the session id changes at sign-in (no session fixation), and the old one opens nothing', async () => {
    instance = await startExampleApp();
    const agent = browser(instance.app);
    const before = sessionCookieOf((await signIn(agent)).headers);
    const after = sessionCookieOf((await signIn(agent)).headers);
    expect(after).not.toBe(before);
    const challengeWith = (cookie: string) => request(instance.app).get('/2fa').set('Accept', 'application/json').set('Cookie', cookie);
    expect((await challengeWith(after)).body).toMatchObject({ signedIn: true });
    expect((await challengeWith(before)).headers.location).toBe('/login');
  });

  test("returnTo is honoured for the app's own pages only", async () => {
    instance = await startExampleApp();
    const go = async (returnTo: string) => {
      const agent = browser(instance.app);
      const page = await agent.get(`/login?returnTo=${encodeURIComponent(returnTo)}`);
      const res = await agent
        .post('/login')
        .type('form')
        .send({ _csrf: csrfOf(page.text), username: DEMO.username, password: DEMO.password, returnTo });
      return res.headers.location;
    };
    expect(await go('/admin/transfer')).toBe('/admin/transfer');
    expect(await go('//evil.example/')).toBe('/admin');
    expect(await go('https://evil.example/admin')).toBe('/admin');
  });

  test('users come from EXAMPLE_USERS_FILE; the demo user is then gone', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-users-'));
    const file = path.join(dir, 'users.json');
    fs.writeFileSync(file, JSON.stringify([{ username: 'carol', password: 'carol-password-1', phone: '+12015550123' }]));
    try {
      instance = await startExampleApp({ EXAMPLE_USERS_FILE: file });
      expect((await signIn(browser(instance.app), 'carol', 'carol-password-1')).status).toBe(303);
      expect((await signIn(browser(instance.app), DEMO.username, DEMO.password)).status).toBe(401);
      expect((await browser(instance.app).get('/login')).text).not.toContain('demo-password');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a users file with a bad phone number is refused at start, naming the entry but not the number', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-users-'));
    const file = path.join(dir, 'users.json');
    try {
      // Not E.164; and E.164-shaped but invalid (555 is no area code), which only libphonenumber-js knows.
      for (const phone of ['555-0100', '+15555550100']) {
        fs.writeFileSync(
          file,
          JSON.stringify([
            { username: 'dave', password: 'dave-password-1', phone: '+12015550125' },
            { username: 'erin', password: 'erin-password-1', phone },
          ]),
        );
        const refusal = startExampleApp({ EXAMPLE_USERS_FILE: file });
        await expect(refusal).rejects.toThrow(/users\.json\[1\]\.phone must be a valid number in E\.164 form/);
        await expect(refusal).rejects.not.toThrow(phone);
      }
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
