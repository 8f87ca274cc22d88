// Sign-up: a new account signed in with its password only and sent to enrolment; refusals tied to their field.
import request from 'supertest';
import { DEMO } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { browser, csrfOf, sessionCookieOf, submit } from './helpers/form-browser';

const instance = useExampleApp();

describe('example app sign-up', () => {
  test('the form signs the new user in and sends the browser to enrolment', async () => {
    const agent = browser(instance.app);
    const page = await agent.get('/signup');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Create an account</h1>');
    expect(page.text).toContain('autocomplete="new-password"');
    expect(page.text).toContain('<a href="/login">Sign in</a>');

    const res = await agent
      .post('/signup')
      .type('form')
      .send({ _csrf: csrfOf(page.text), username: 'ivy', password: 'ivy-password-1' });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/2fa/enrol');
    expect(sessionCookieOf(res.headers)).toMatch(/^sid=/);
    const user = await instance.accounts.findByUsername('ivy');
    expect(user).toMatchObject({ username: 'ivy', phoneNumber: null });
    expect(await instance.accounts.checkPassword('ivy', 'ivy-password-1')).toMatchObject({ id: user?.id });
    // Signed in with the password step: protected pages now ask for a number, not for a password.
    expect((await agent.get('/admin')).headers.location).toBe('/2fa/enrol');
  });

  test('signing up while signed in as someone else starts a new session; the old one opens nothing', async () => {
    const api = request.agent(instance.app).set('Accept', 'application/json');
    const before = sessionCookieOf((await api.post('/login').send({ username: DEMO.username, password: DEMO.password })).headers);
    const after = sessionCookieOf((await api.post('/signup').send({ username: 'iris', password: 'iris-password-1' })).headers);
    expect(after).not.toBe(before);
    expect((await request(instance.app).get('/2fa').set('Cookie', before)).headers.location).toBe('/login');
  });

  test('JSON: 201 with where to go next', async () => {
    const api = request.agent(instance.app).set('Accept', 'application/json');
    const res = await api.post('/signup').send({ username: 'jack', password: 'jack-password-1' });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({ signedUp: true, redirectTo: '/2fa/enrol' });
    expect((await api.get('/admin')).body).toMatchObject({ error: 'enrolment_required' });
  });

  test('a taken username (in any letter case) is a 400 with the sentence tied to the username field', async () => {
    const agent = browser(instance.app);
    const res = await submit(agent, '/signup', '/signup', { username: 'DEMO', password: 'another-password' });
    expect(res.status).toBe(400);
    expect(res.text).toContain('<p id="username-error" class="error" role="alert">That username is taken. Choose another one.</p>');
    expect(res.text).toMatch(
      /<input id="username"[^>]*value="DEMO"[^>]*aria-describedby="username-hint username-error" aria-invalid="true"/,
    );
    expect(res.text).not.toMatch(/<input id="password"[^>]*aria-invalid/);
    expect(res.text).not.toContain('another-password');
    expect(res.headers['set-cookie']?.toString() ?? '').not.toMatch(/sid=/);
    // The existing account is untouched.
    expect(await instance.accounts.checkPassword(DEMO.username, DEMO.password)).not.toBeNull();

    const json = await request(instance.app)
      .post('/signup')
      .set('Accept', 'application/json')
      .send({ username: 'demo', password: 'another-password' });
    expect(json.status).toBe(400);
    expect(json.body).toEqual({ error: 'username_taken', field: 'username', message: 'That username is taken. Choose another one.' });
  });

  test('a short password and a bad username are both named, each next to its field; nothing is created', async () => {
    const agent = browser(instance.app);
    const res = await submit(agent, '/signup', '/signup', { username: 'has space', password: 'short' });
    expect(res.status).toBe(400);
    expect(res.text).toMatch(/<p id="username-error" class="error" role="alert">Choose a username of 1 to 64 letters/);
    expect(res.text).toContain('<p id="password-error" class="error" role="alert">Choose a password of at least 8 characters.</p>');
    expect(res.text).toMatch(/<input id="password"[^>]*aria-describedby="password-hint password-error" aria-invalid="true"/);
    expect(await instance.accounts.findByUsername('has space')).toBeUndefined();

    const json = await request(instance.app)
      .post('/signup')
      .set('Accept', 'application/json')
      .send({ username: 'kate', password: 'short' });
    expect(json.status).toBe(400);
    expect(json.body).toEqual({ error: 'invalid_password', field: 'password', message: 'Choose a password of at least 8 characters.' });
    const typed = await request(instance.app)
      .post('/signup')
      .set('Accept', 'application/json')
      .send({ username: ['x'], password: { a: 1 } });
    expect(typed.status).toBe(400);
    expect(await instance.accounts.findByUsername('kate')).toBeUndefined();
  });

  test('a typed username is given back escaped', async () => {
    const res = await submit(browser(instance.app), '/signup', '/signup', {
      username: '"><script>x()</script>',
      password: 'long-enough-1',
    });
    expect(res.status).toBe(400);
    expect(res.text).not.toContain('<script>x()');
    expect(res.text).toContain('value="&quot;&gt;&lt;script&gt;x()&lt;/script&gt;"');
  });

  test('the form needs its CSRF token', async () => {
    const agent = browser(instance.app);
    await agent.get('/signup');
    const forged = await agent.post('/signup').type('form').send({ username: 'lena', password: 'lena-password-1' });
    expect(forged.status).toBe(403);
    expect(await instance.accounts.findByUsername('lena')).toBeUndefined();
  });

  test('sign-in and sign-up pages link to each other', async () => {
    expect((await request(instance.app).get('/login')).text).toContain('<a href="/signup">Create one</a>');
    expect((await request(instance.app).get('/signup')).text).toContain('<a href="/login">Sign in</a>');
  });
});
