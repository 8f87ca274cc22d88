// The example app in sandbox mode (emulator + memory): the whole browser flow, the banner, the JSON flow.
import request from 'supertest';
import { DEMO } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { browser, sessionCookieOf, submit } from './helpers/form-browser';
import { enterCode, lastCode, sendCode, signIn } from './helpers/sign-in-steps';

const instance = useExampleApp();

describe('example app, sandbox mode', () => {
  test('says it runs on the emulator and in memory', () => {
    expect(instance.emulator).toBeDefined();
    expect(instance.logs.join('\n')).toMatch(/REDIS_URL is not set/);
    expect(instance.logs.join('\n')).toMatch(/SESSION_SECRET is not set/);
  });

  test('password, then an SMS code, then /admin', async () => {
    const agent = browser(instance.app);
    const login = await signIn(agent);
    expect(login.status).toBe(303);
    expect(login.headers.location).toBe('/admin');

    const admin = await agent.get('/admin');
    expect(admin.status).toBe(302);
    expect(admin.headers.location).toBe('/2fa');

    const challenge = await agent.get('/2fa');
    expect(challenge.text).toContain('Confirm it is you');
    expect(challenge.text).toContain('We will send a 6-digit code to your phone number +1******0100.');

    const sent = await sendCode(agent);
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe('/2fa?sent=sms');
    const page = await agent.get('/2fa?sent=sms');
    expect(page.text).toContain('We sent a code by text message to +1******0100.');
    expect(page.text).toMatch(/autocomplete="one-time-code" inputmode="numeric"/);
    expect(page.text).toContain('data-mfa-countdown="30"');
    // Where the code went is said once on the page, by the notice (the sandbox banner shows the code itself).
    expect(page.text.replace(/<aside class="sandbox"[\s\S]*?<\/aside>/, '').split('+1******0100')).toHaveLength(2);

    const verified = await enterCode(agent, lastCode(instance.emulator));
    expect(verified.status).toBe(303);
    expect(verified.headers.location).toBe('/admin');
    const adminPage = await agent.get('/admin');
    expect(adminPage.status).toBe(200);
    expect(adminPage.text).toContain('Signed in as <strong>demo</strong>');
  });

  test('the sandbox banner shows the code the emulator sent, and nothing of the full number', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    expect((await agent.get('/2fa')).text).not.toContain('data-testid="sandbox-code"');
    await sendCode(agent, 'voice');
    const page = await agent.get('/2fa?sent=voice');
    expect(page.text).toContain('Sandbox mode.');
    expect(page.text).toContain(`data-testid="sandbox-code">${lastCode(instance.emulator)}</strong>`);
    expect(page.text).toContain('We are calling +1******0100 to read you a code.');
    expect(page.text).not.toContain(DEMO.phone);
  });

  test("a wrong code is refused with the library's sentence tied to the code field", async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const right = lastCode(instance.emulator);
    const wrong = await enterCode(agent, right === '000000' ? '111111' : '000000');
    expect(wrong.headers.location).toBe('/2fa?error=invalid_code');
    const page = await agent.get('/2fa?error=invalid_code');
    expect(page.text).toContain('<p id="mfa-code-error" class="mfa-error" role="alert">That code is not valid.');
    expect(page.text).toContain('aria-describedby="mfa-code-hint mfa-code-error" aria-invalid="true"');
    expect((await agent.get('/admin')).status).toBe(302);
  });

  test('an unknown ?error= is not shown and query text is never echoed', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    const page = await agent.get('/2fa?error=%3Cscript%3Ealert(1)%3C%2Fscript%3E&sent=%3Cb%3E');
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('<script>alert');
    expect(page.text).not.toContain('alert(1)');
    expect(page.text).not.toContain('role="alert"');
  });

  test('an API client does the same flow in JSON without CSRF tokens', async () => {
    const api = request.agent(instance.app).set('Accept', 'application/json');
    const login = await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    expect(login.body).toEqual({ signedIn: true, redirectTo: '/admin' });
    expect((await api.get('/admin')).body).toMatchObject({ error: 'second_factor_required', scope: '2FA' });
    const sent = await api.post('/2fa/send').send({ channel: 'sms' });
    expect(sent.body).toMatchObject({ sent: true, channel: 'sms', maskedPhoneNumber: '+1******0100' });
    expect((await api.get('/2fa')).body).toMatchObject({ signedIn: true, pending: { channel: 'sms' } });
    const verified = await api.post('/2fa/verify').send({ code: lastCode(instance.emulator) });
    expect(verified.body).toEqual({ verified: true, redirectTo: '/admin' });
    expect((await api.get('/admin')).body).toEqual({ username: 'demo', secondFactor: true });
  });

  test('sign-out destroys the session: the old cookie opens nothing', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const verified = await enterCode(agent, lastCode(instance.emulator));
    const cookie = sessionCookieOf(verified.headers);
    const adminWith = (c: string) => request(instance.app).get('/admin').set('Accept', 'application/json').set('Cookie', c);
    expect((await adminWith(cookie)).status).toBe(200);
    const out = await submit(agent, '/admin', '/logout', {});
    expect(out.status).toBe(303);
    expect(out.headers.location).toBe('/login');
    const replay = await adminWith(cookie);
    expect(replay.status).toBe(401);
    expect(replay.body.error).toBe('authentication_required');
  });

  test('logs carry audit events but never a code or the full phone number', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const code = lastCode(instance.emulator);
    await enterCode(agent, code);
    const logs = instance.logs.join('\n');
    const demoId = (await instance.accounts.findByUsername(DEMO.username))?.id;
    expect(logs).toContain(`mfa code_sent user=${demoId} `);
    expect(logs).toContain(`mfa code_verified user=${demoId} `);
    expect(logs).not.toContain(code);
    expect(logs).not.toContain(DEMO.phone);
  });
});
