// The security page: masked number, recovery codes left, trusted browsers with revoke one / revoke all; all behind the factor.
import request from 'supertest';
import { DEMO } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { browser, csrfOf, submit, type Agent } from './helpers/form-browser';
import { signIn, signInWithCode } from './helpers/sign-in-steps';

const PHONE_UA = 'Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Mobile Safari/537.36';
const DESK_UA = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0';

const instance = useExampleApp();

/** A browser with its own User-Agent, trusted at sign-in ("trust this browser"). */
async function trustedBrowser(userAgent: string): Promise<Agent> {
  const agent = browser(instance.app).set('User-Agent', userAgent);
  await signInWithCode(agent, instance.emulator, { rememberDevice: 'on' });
  return agent;
}

async function signOutAndIn(agent: Agent): Promise<number> {
  await submit(agent, '/admin', '/logout', {});
  await signIn(agent);
  return (await agent.get('/admin')).status;
}

const demoId = async () => (await instance.accounts.findByUsername(DEMO.username))?.id as string;

describe('the security page', () => {
  test('needs the second factor: signed out to the sign-in page, password only to the code, JSON 401', async () => {
    expect((await browser(instance.app).get('/account')).headers.location).toBe('/login?returnTo=%2Faccount');
    const agent = browser(instance.app);
    await signIn(agent);
    expect((await agent.get('/account')).headers.location).toBe('/2fa');
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    expect((await api.get('/account')).body).toMatchObject({ error: 'second_factor_required' });
  });

  test('shows the masked number with a change link, the codes left with "make new codes", and no trusted browser yet', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await instance.mfa.generateRecoveryCodes(await demoId());
    const page = await agent.get('/account');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Security settings</h1>');
    expect(page.text).toContain('Sign-in codes go to <strong>+1******0100</strong>.');
    expect(page.text).toContain('<a class="button secondary" href="/2fa/enrol" aria-describedby="change-hint">Change phone number</a>');
    expect(page.text).toContain('You have <strong>10</strong> recovery codes left.');
    expect(page.text).toContain('<form method="post" action="/account/recovery-codes">');
    expect(page.text).toContain('No browser skips the sign-in code.');
    expect(page.text).not.toContain(DEMO.phone);
    expect((await agent.get('/admin')).text).toContain('<a href="/account">Security settings</a>');
  });

  test('lists trusted browsers by what they are, with dates', async () => {
    await trustedBrowser(PHONE_UA);
    const agent = await trustedBrowser(DESK_UA);
    const page = await agent.get('/account');
    expect(page.text).toContain('<strong>Chrome on Android</strong>');
    expect(page.text).toContain('<strong>Firefox on Linux</strong>');
    expect(page.text).toMatch(/Trusted <time datetime="\d{4}-\d\d-\d\dT[^"]+">\d{1,2} \w{3} \d{4}, \d\d:\d\d UTC<\/time>, until <time/);
    expect(page.text.match(/action="\/account\/trusted-browsers\/revoke"/g)).toHaveLength(2);
    expect(page.text).toContain('Stop trusting all browsers');
    // The raw User-Agent is shown too, escaped, to tell two alike apart.
    expect(page.text).toContain('<p class="hint user-agent">Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0</p>');
  });

  test('revoke one: that browser asks for a code again, the other does not', async () => {
    const phone = await trustedBrowser(PHONE_UA);
    const desk = await trustedBrowser(DESK_UA);
    const devices = await instance.mfa.listTrustedDevices(await demoId());
    const phoneDevice = devices.find((device) => device.userAgent?.includes('Android'));
    const page = await desk.get('/account');
    const revoked = await desk
      .post('/account/trusted-browsers/revoke')
      .type('form')
      .send({ _csrf: csrfOf(page.text), deviceId: phoneDevice?.deviceId as string });
    expect(revoked.status).toBe(303);
    expect(revoked.headers.location).toBe('/account?revoked=one');
    expect((await desk.get('/account?revoked=one')).text).toContain('That browser will ask for a code at its next sign-in.');
    expect(await signOutAndIn(phone)).toBe(302);
    expect(await signOutAndIn(desk)).toBe(200);
    expect(instance.logs.join('\n')).toMatch(/mfa trusted_device_revoked user=\S+ actor=account-page device=/);

    // Again: nothing left to revoke under that id.
    const again = await submit(desk, '/account', '/account/trusted-browsers/revoke', { deviceId: phoneDevice?.deviceId as string });
    expect(again.headers.location).toBe('/account?revoked=none');
  });

  test('revoke all: every browser asks for a code again', async () => {
    const phone = await trustedBrowser(PHONE_UA);
    const desk = await trustedBrowser(DESK_UA);
    const done = await submit(desk, '/account', '/account/trusted-browsers/revoke-all', {});
    expect(done.headers.location).toBe('/account?revoked=all');
    expect(await instance.mfa.listTrustedDevices(await demoId())).toEqual([]);
    expect(await signOutAndIn(phone)).toBe(302);
    expect(await signOutAndIn(desk)).toBe(302);
  });

  test('JSON: the page as data; revocations answer what they did; a malformed id is a 400', async () => {
    const agent = await trustedBrowser(PHONE_UA);
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    await api.post('/2fa/send').send({ channel: 'sms' });
    await api.post('/2fa/verify').send({ code: instance.emulator?.lastCode(DEMO.phone) });
    const data = await api.get('/account');
    expect(data.body).toMatchObject({ username: 'demo', maskedPhoneNumber: '+1******0100', recoveryCodesLeft: 0 });
    expect(data.body.trustedBrowsers).toEqual([
      expect.objectContaining({
        deviceId: expect.any(String),
        userAgent: PHONE_UA,
        createdAt: expect.any(String),
        expiresAt: expect.any(String),
      }),
    ]);
    const deviceId = data.body.trustedBrowsers[0].deviceId as string;

    expect((await api.post('/account/trusted-browsers/revoke').send({ deviceId: '../../etc' })).status).toBe(400);
    expect((await api.post('/account/trusted-browsers/revoke').send({ deviceId: ['x'] })).body).toMatchObject({
      error: 'invalid_request',
      field: 'deviceId',
    });
    expect((await api.post('/account/trusted-browsers/revoke').send({ deviceId })).body).toEqual({ revoked: true });
    expect((await api.post('/account/trusted-browsers/revoke').send({ deviceId })).body).toEqual({ revoked: false });
    expect((await api.post('/account/trusted-browsers/revoke-all').send({})).body).toEqual({ revoked: true });
    expect(await signOutAndIn(agent)).toBe(302);
  });

  test('each form needs its CSRF token; without it nothing is revoked or made', async () => {
    const agent = await trustedBrowser(PHONE_UA);
    await agent.get('/account');
    const id = await demoId();
    const [device] = await instance.mfa.listTrustedDevices(id);
    for (const [action, fields] of [
      ['/account/trusted-browsers/revoke', { deviceId: device?.deviceId as string }],
      ['/account/trusted-browsers/revoke-all', {}],
      ['/account/recovery-codes', {}],
    ] as const) {
      expect((await agent.post(action).type('form').send(fields)).status).toBe(403);
    }
    expect(await instance.mfa.listTrustedDevices(id)).toHaveLength(1);
    expect(await instance.accounts.countRecoveryCodes(id)).toBe(0);
  });
});
