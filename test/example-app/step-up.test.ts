// Step-up: a transfer needs a code of its own scope, entered within the last 5 minutes.
import request from 'supertest';
import { DEMO, browser, enterCode, lastCode, outlastCooldown, sendCode, signInWithCode, startExampleApp, submit, type ExampleApp } from './helpers/example-app';

let instance: ExampleApp;
beforeEach(async () => {
  instance = await startExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1' });
});
afterEach(async () => {
  jest.restoreAllMocks();
  await instance.close();
});

describe('example app step-up for transfers', () => {
  test('the sign-in code does not confirm a transfer; a transfer-scoped code does', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    expect((await agent.get('/admin')).status).toBe(200);

    const form = await agent.get('/admin/transfer');
    expect(form.status).toBe(302);
    expect(form.headers.location).toBe('/2fa');
    const challenge = await agent.get('/2fa');
    expect(challenge.text).toContain('<h1>Confirm the transfer</h1>');
    // A step-up code is about one action: no "trust this browser" there.
    await outlastCooldown();
    await sendCode(agent);
    expect(instance.emulator?.sent.at(-1)?.scope).toMatch(/^transfer-/);
    expect((await agent.get('/2fa')).text).not.toContain('rememberDevice');

    const verified = await enterCode(agent, lastCode(instance.emulator));
    expect(verified.headers.location).toBe('/admin/transfer');
    const done = await submit(agent, '/admin/transfer', '/admin/transfer', { amount: '25.50' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Transfer of 25.50 USD sent.');
  });

  test('a posted transfer without a fresh transfer code is not carried out', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    const token = (await agent.get('/admin')).text.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    const res = await agent.post('/admin/transfer').type('form').send({ _csrf: token, amount: '1000' });
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/2fa');
    expect(res.text).not.toContain('sent');
  });

  test('the transfer code expires for transfers after 5 minutes, while the sign-in stays valid', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await agent.get('/admin/transfer');
    await outlastCooldown();
    await sendCode(agent);
    await enterCode(agent, lastCode(instance.emulator));
    expect((await submit(agent, '/admin/transfer', '/admin/transfer', { amount: '10' })).status).toBe(200);

    const realNow = Date.now.bind(Date);
    const token = (await agent.get('/admin')).text.match(/name="_csrf" value="([^"]+)"/)?.[1] as string;
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 301_000);
    const late = await agent.post('/admin/transfer').type('form').send({ _csrf: token, amount: '10' });
    expect(late.status).toBe(302);
    expect(late.headers.location).toBe('/2fa');
    expect((await agent.get('/admin')).status).toBe(200);
  });

  test('MFA_STEP_UP_MAX_AGE_SECONDS asks for a new sign-in code on /admin once the last one is older', async () => {
    await instance.close();
    instance = await startExampleApp({ MFA_STEP_UP_MAX_AGE_SECONDS: '60' });
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    expect((await agent.get('/admin')).status).toBe(200);
    const realNow = Date.now.bind(Date);
    jest.spyOn(Date, 'now').mockImplementation(() => realNow() + 61_000);
    expect((await agent.get('/admin')).headers.location).toBe('/2fa');
  });

  test('API clients get 401 second_factor_required with scope "transfer"', async () => {
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    await api.post('/2fa/send').send({ channel: 'sms' });
    await api.post('/2fa/verify').send({ code: lastCode(instance.emulator) });
    const refused = await api.post('/admin/transfer').send({ amount: '5' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'second_factor_required', scope: 'transfer' });

    await outlastCooldown();
    await api.post('/2fa/send').send({ channel: 'sms', scope: 'transfer' });
    expect((await api.post('/2fa/verify').send({ code: lastCode(instance.emulator) })).status).toBe(200);
    expect((await api.post('/admin/transfer').send({ amount: '5' })).body).toEqual({ transferred: true, amount: '5' });
  });
});
