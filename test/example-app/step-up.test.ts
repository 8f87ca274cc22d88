// Step-up: each transfer needs a code of its own scope, naming its amount, entered within the last 5 minutes, good for that transfer once.
import request from 'supertest';
import { DEMO } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { moveClockOn } from '../helpers/clock';
import { browser, csrfOf, type Agent } from './helpers/form-browser';
import { enterCode, lastCode, outlastCooldown, sendCode, signInWithCode } from './helpers/sign-in-steps';

const instance = useExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1' });

/** Posts the transfer form as the browser would, with the token of the form page. */
async function postTransfer(agent: Agent, amount: string) {
  const token = csrfOf((await agent.get('/admin/transfer')).text);
  return agent.post('/admin/transfer').type('form').send({ _csrf: token, amount });
}

/** Asks for the transfer, is sent to the challenge, gets the code (which names the amount) and enters it. */
async function approveTransfer(agent: Agent, amount: string) {
  const refused = await postTransfer(agent, amount);
  expect(refused.status).toBe(302);
  expect(refused.headers.location).toBe('/2fa');
  await outlastCooldown();
  await sendCode(agent);
  return enterCode(agent, lastCode(instance.emulator));
}

describe('example app step-up for transfers', () => {
  test('the sign-in code does not confirm a transfer; a transfer code naming the amount does, once', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    expect((await agent.get('/admin/transfer')).status).toBe(200);

    const refused = await postTransfer(agent, '25.50');
    expect(refused.headers.location).toBe('/2fa');
    const challenge = await agent.get('/2fa');
    expect(challenge.text).toContain('<h1 id="mfa-title">Confirm the transfer</h1>');
    expect(challenge.text).toContain('<strong>You are approving: Transfer of 25.50 USD</strong>');
    // A step-up code is about one action: no "trust this browser" there.
    await outlastCooldown();
    await sendCode(agent);
    const sms = instance.emulator?.sent.at(-1);
    expect(sms?.scope).toMatch(/^transfer-/);
    expect(sms?.text).toContain('approves: Transfer of 25.50 USD.');
    expect((await agent.get('/2fa')).text).not.toContain('rememberDevice');

    const verified = await enterCode(agent, lastCode(instance.emulator));
    expect(verified.headers.location).toBe('/admin/transfer');
    const form = await agent.get('/admin/transfer');
    expect(form.text).toContain('value="25.50"');
    const done = await agent
      .post('/admin/transfer')
      .type('form')
      .send({ _csrf: csrfOf(form.text), amount: '25.50' });
    expect(done.status).toBe(200);
    expect(done.text).toContain('Transfer of 25.50 USD sent.');
  });

  test('four transfers on one code: the first is carried out, the other three go back to the challenge', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await approveTransfer(agent, '9999999.99');
    const answers = [];
    for (let i = 0; i < 4; i += 1) answers.push(await postTransfer(agent, '9999999.99'));
    expect(answers.map((res) => res.status)).toEqual([200, 302, 302, 302]);
    expect(answers.filter((res) => res.text.includes('USD sent.'))).toHaveLength(1);
  });

  test('a changed amount needs a new code, whose text names the new amount', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await approveTransfer(agent, '10');
    const changed = await postTransfer(agent, '10000');
    expect(changed.status).toBe(302);
    expect(changed.headers.location).toBe('/2fa');
    await approveTransfer(agent, '10000');
    expect(instance.emulator?.sent.at(-1)?.text).toContain('Transfer of 10000 USD');
    expect((await postTransfer(agent, '10000')).text).toContain('Transfer of 10000 USD sent.');
  });

  test('a bad amount is refused before any code is asked for', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    const sends = instance.emulator?.sent.length;
    const res = await postTransfer(agent, '12\n00');
    expect(res.status).toBe(400);
    expect(res.text).toContain('Enter an amount such as 25 or 25.50.');
    expect(instance.emulator?.sent.length).toBe(sends);
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

  test('the transfer code expires after 5 minutes, while the sign-in stays valid', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await approveTransfer(agent, '10');
    const token = csrfOf((await agent.get('/admin/transfer')).text);
    moveClockOn(301);
    const late = await agent.post('/admin/transfer').type('form').send({ _csrf: token, amount: '10' });
    expect(late.status).toBe(302);
    expect(late.headers.location).toBe('/2fa');
    expect((await agent.get('/admin')).status).toBe(200);
  });

  test('MFA_STEP_UP_MAX_AGE_SECONDS asks for a new sign-in code on /admin once the last one is older', async () => {
    await instance.restartWith({ MFA_STEP_UP_MAX_AGE_SECONDS: '60' });
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    expect((await agent.get('/admin')).status).toBe(200);
    moveClockOn(61);
    expect((await agent.get('/admin')).headers.location).toBe('/2fa');
  });

  test('API clients get 401 second_factor_required with scope "transfer" and the action, and each code works once', async () => {
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    await api.post('/2fa/send').send({ channel: 'sms' });
    await api.post('/2fa/verify').send({ code: lastCode(instance.emulator) });
    const refused = await api.post('/admin/transfer').send({ amount: '5' });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'second_factor_required', scope: 'transfer', action: 'Transfer of 5 USD' });

    await outlastCooldown();
    await api.post('/2fa/send').send({ channel: 'sms', scope: 'transfer' });
    expect((await api.post('/2fa/verify').send({ code: lastCode(instance.emulator) })).status).toBe(200);
    expect((await api.post('/admin/transfer').send({ amount: '5' })).body).toEqual({ transferred: true, amount: '5' });
    expect((await api.post('/admin/transfer').send({ amount: '5' })).status).toBe(401);
  });
});
