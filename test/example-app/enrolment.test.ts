// Enrolment and number change in the example app: the page, the library's routes behind it, errors at their field.
import request from 'supertest';
import { DEMO } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { moveClockOn } from '../helpers/clock';
import { browser, submit } from './helpers/form-browser';
import { enterCode, lastCode, outlastCooldown, sendCode, signIn, signInWithCode } from './helpers/sign-in-steps';
import { enrolPhone, recoveryCodesOn, signUp } from './helpers/enrolment-steps';
import { wrongCode } from '../helpers/flow';

const NEW_NUMBER = '+12015550133';
const OTHER_NUMBER = '+12025550144';

const instance = useExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1' });

const idOf = async (username: string) => (await instance.accounts.findByUsername(username))?.id as string;

describe('first enrolment', () => {
  test('sign-up leads to the page: a phone field for the default country, the channel, then the code field', async () => {
    const agent = browser(instance.app);
    await signUp(agent, 'ivy');
    expect((await agent.get('/admin')).headers.location).toBe('/2fa/enrol');
    // The challenge page has nothing to ask of a user without a number.
    expect((await agent.get('/2fa')).headers.location).toBe('/2fa/enrol');

    const page = await agent.get('/2fa/enrol');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Add a phone number</h1>');
    expect(page.text).toMatch(/<input id="phone" name="phoneNumber" type="tel" required autocomplete="tel" inputmode="tel"/);
    expect(page.text).toContain('<label for="phone">Phone number</label>');
    expect(page.text).toContain('A United States number can be typed as (201) 555-0123.');
    expect(page.text).toContain('<label for="channel-voice">Voice call</label>');
    expect(page.text).not.toContain('name="code"');

    // A national number, read with MFA_DEFAULT_COUNTRY (US).
    const sent = await submit(agent, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: '(201) 555-0133', channel: 'sms' });
    expect(sent.status).toBe(303);
    expect(sent.headers.location).toBe('/2fa/enrol?sent=sms');
    const codePage = await agent.get('/2fa/enrol?sent=sms');
    expect(codePage.text).toContain('<p class="notice" role="status">We sent a code by text message to +1******0133.</p>');
    expect(codePage.text).toMatch(
      /<input id="code" name="code" type="text" required class="code" autocomplete="one-time-code" inputmode="numeric"/,
    );
    expect(codePage.text).toContain(`data-testid="sandbox-code">${lastCode(instance.emulator, NEW_NUMBER)}</strong>`);
    expect(codePage.text).toContain('data-mfa-countdown="1"');
    expect(codePage.text).not.toContain(NEW_NUMBER);

    const verified = await submit(agent, '/2fa/enrol', '/2fa/enrol/verify', { code: lastCode(instance.emulator, NEW_NUMBER) });
    expect(verified.status).toBe(303);
    expect(verified.headers.location).toBe('/2fa/recovery-codes');
    expect(recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text)).toHaveLength(10);
    const ivy = await instance.accounts.findByUsername('ivy');
    expect(ivy?.phoneNumber).toBe(NEW_NUMBER);
    expect(await instance.accounts.countRecoveryCodes(ivy?.id as string)).toBe(10);
    // Proving the phone was the second factor: no code is asked again.
    expect((await agent.get('/admin')).status).toBe(200);
  });

  test('JSON: send, verify, and the ten recovery codes in the answer', async () => {
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/signup').send({ username: 'jack', password: 'jack-password-1' });
    expect((await api.get('/2fa/enrol')).body).toMatchObject({ signedIn: true, enrolled: false, recoveryCodesLeft: 0 });
    const sent = await api.post('/2fa/enrol/send').send({ phoneNumber: NEW_NUMBER, channel: 'voice' });
    expect(sent.status).toBe(200);
    expect(sent.body).toMatchObject({ sent: true, channel: 'voice', maskedPhoneNumber: '+1******0133' });
    expect((await api.get('/2fa/enrol')).body).toMatchObject({ pending: { enrolment: true, channel: 'voice' } });
    const verified = await api.post('/2fa/enrol/verify').send({ code: lastCode(instance.emulator, NEW_NUMBER) });
    expect(verified.status).toBe(200);
    expect(verified.body).toMatchObject({ verified: true, enrolled: true, redirectTo: '/admin' });
    expect(verified.body.recoveryCodes).toHaveLength(10);
    expect(verified.body.recoveryCodes[0]).toMatch(/^[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}-[A-Z0-9]{4}$/);
    expect((await api.get('/admin')).body).toEqual({ username: 'jack', secondFactor: true });
  });

  test('a number that is not valid: the sentence at the phone field, nothing sent, nothing saved', async () => {
    const agent = browser(instance.app);
    await signUp(agent, 'kate');
    const refused = await submit(agent, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: '555-0100', channel: 'sms' });
    expect(refused.headers.location).toBe('/2fa/enrol?error=invalid_phone_number');
    const page = await agent.get(refused.headers.location as string);
    expect(page.text).toContain(
      '<p id="phone-error" class="error" role="alert">That phone number is not valid. Check it, including the country code.</p>',
    );
    expect(page.text).toMatch(/<input id="phone"[^>]*aria-describedby="phone-hint phone-error" aria-invalid="true" autofocus>/);
    expect(instance.emulator?.sent).toHaveLength(0);
    expect((await instance.accounts.findByUsername('kate'))?.phoneNumber).toBeNull();

    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/signup').send({ username: 'kate-api', password: 'kate-password-1' });
    const json = await api.post('/2fa/enrol/send').send({ phoneNumber: '+15555550100' });
    expect(json.status).toBe(400);
    expect(json.body).toMatchObject({ error: 'invalid_phone_number' });
    expect(instance.emulator?.sent).toHaveLength(0);
  });

  test('a wrong code: the sentence at the code field, the number not saved; the right one still works', async () => {
    const agent = browser(instance.app);
    await signUp(agent, 'lena');
    await submit(agent, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: NEW_NUMBER, channel: 'sms' });
    const right = lastCode(instance.emulator, NEW_NUMBER);
    const wrong = await submit(agent, '/2fa/enrol', '/2fa/enrol/verify', { code: wrongCode(right) });
    expect(wrong.headers.location).toBe('/2fa/enrol?error=invalid_code');
    const page = await agent.get('/2fa/enrol?error=invalid_code');
    expect(page.text).toContain('<p id="code-error" class="error" role="alert">That code is not valid.');
    expect(page.text).toMatch(/<input id="code"[^>]*aria-describedby="code-hint code-error" aria-invalid="true"/);
    expect(page.text).not.toContain('id="phone-error"');
    expect((await instance.accounts.findByUsername('lena'))?.phoneNumber).toBeNull();
    expect((await submit(agent, '/2fa/enrol', '/2fa/enrol/verify', { code: right })).headers.location).toBe('/2fa/recovery-codes');
  });

  test('a send too soon after the last one is said by the countdown, on this page', async () => {
    await instance.restartWith({ MFA_RESEND_COOLDOWN_SECONDS: '30' });
    const agent = browser(instance.app);
    await signUp(agent, 'mia');
    await submit(agent, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: NEW_NUMBER, channel: 'sms' });
    const again = await submit(agent, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: OTHER_NUMBER, channel: 'sms' });
    expect(again.headers.location).toMatch(/^\/2fa\/enrol\?error=resend_cooldown&wait=\d+$/);
    const page = await agent.get(again.headers.location as string);
    // The library page's countdown script runs it: the wait, the button, and the sentences it counts down with.
    expect(page.text).toMatch(
      /data-mfa-countdown="\d+" data-mfa-button="send-button" data-mfa-template="You can ask for a new code in \{wait\}\."/,
    );
    expect(page.text).toMatch(/>You can ask for a new code in \d+ seconds\.<\/p>/);
    expect(page.text).toContain('<script src="/2fa?asset=challenge.js" defer></script>');
    expect(instance.emulator?.sent).toHaveLength(1);
  });

  test('too many wrong codes show the lockout on the enrolment page', async () => {
    await instance.restartWith({ MFA_MAX_ATTEMPTS: '2' });
    const agent = browser(instance.app);
    await signUp(agent, 'nina');
    await submit(agent, '/2fa/enrol', '/2fa/enrol/send', { phoneNumber: NEW_NUMBER, channel: 'sms' });
    const wrong = wrongCode(lastCode(instance.emulator, NEW_NUMBER));
    await submit(agent, '/2fa/enrol', '/2fa/enrol/verify', { code: wrong });
    expect((await submit(agent, '/2fa/enrol', '/2fa/enrol/verify', { code: wrong })).headers.location).toBe(
      '/2fa/enrol?error=locked_out&wait=900',
    );
    const page = await agent.get('/2fa/enrol?error=locked_out&wait=900');
    expect(page.status).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(890);
    // The challenge page's lockout, in the app's layout: its title, sentences and styles.
    expect(page.text).toContain('<h1 id="mfa-title">Too many attempts</h1>');
    expect(page.text).toContain('<p class="mfa-error" role="alert">Too many attempts. Try again in 15 minutes.</p>');
    expect(page.text).toContain('Signing out does not shorten the wait.');
    expect(page.text).toContain('<a href="/2fa/enrol">Check again</a>');
    expect(page.text).not.toContain('action="/2fa/enrol/send"');
    expect(page.text).not.toContain('action="/2fa/enrol/verify"');
    // Its styles are linked relative to the page, and served there.
    const stylesheet = /<link rel="stylesheet" href="(\?asset=challenge\.css[^"]*)">/.exec(page.text)?.[1];
    expect(stylesheet).toBeDefined();
    const css = await agent.get(`/2fa/enrol${(stylesheet as string).replace(/&amp;/g, '&')}`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toMatch(/^text\/css/);
  });

  test('the enrolment forms need their CSRF token', async () => {
    const agent = browser(instance.app);
    await signUp(agent, 'omar');
    const forged = await agent.post('/2fa/enrol/send').type('form').send({ phoneNumber: NEW_NUMBER, channel: 'sms' });
    expect(forged.status).toBe(403);
    expect(instance.emulator?.sent).toHaveLength(0);
  });
});

describe('changing the number', () => {
  test('with a fresh code: the new number after its own code, back on the security page, no new recovery codes', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    const page = await agent.get('/2fa/enrol');
    expect(page.status).toBe(200);
    expect(page.text).toContain('<h1>Change your phone number</h1>');
    expect(page.text).toContain('ending in <strong>0100</strong>');
    expect(page.text).toContain('<input type="hidden" name="returnTo" value="/account?changed=phone">');
    expect(page.text).toContain('<a href="/account">Keep the current number</a>');

    await outlastCooldown();
    const verified = await enrolPhone(agent, instance.emulator, '201-555-0133', NEW_NUMBER);
    expect(verified.status).toBe(303);
    expect(verified.headers.location).toBe('/account?changed=phone');
    expect((await agent.get('/account?changed=phone')).text).toContain('Your phone number is now +1******0133.');
    expect((await instance.accounts.findByUsername(DEMO.username))?.phoneNumber).toBe(NEW_NUMBER);
    expect(await instance.accounts.countRecoveryCodes(await idOf(DEMO.username))).toBe(0);
    expect(instance.logs.join('\n')).toMatch(/mfa phone_changed user=/);
  });

  test('without a code in the last MFA_SENSITIVE_MAX_AGE_SECONDS: a code to the current number first, then back to the change', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    moveClockOn(301);
    // Asked up front by the page...
    expect((await agent.get('/2fa/enrol')).headers.location).toBe('/2fa');
    const challenge = await agent.get('/2fa');
    expect(challenge.text).toContain('<p class="mfa-reason" id="mfa-reason">To change your phone number, first confirm it is you.</p>');
    expect(challenge.text).toContain('We will send a 6-digit code to your phone number +1******0100.');
    // ...and by the library when the form is posted anyway.
    const posted = await submit(agent, '/2fa', '/2fa/enrol/send', { phoneNumber: NEW_NUMBER, channel: 'sms' });
    expect(posted.headers.location).toBe('/2fa?error=second_factor_required');
    expect(instance.emulator?.sent.map((s) => s.to)).not.toContain(NEW_NUMBER);
    const asked = await agent.get('/2fa?error=second_factor_required');
    expect(asked.text).toContain('To change your phone number, first confirm it is you.');
    expect(asked.text).not.toContain('role="alert"');

    await sendCode(agent);
    const back = await enterCode(agent, lastCode(instance.emulator));
    expect(back.headers.location).toBe('/2fa/enrol');
    expect((await agent.get('/2fa/enrol')).text).toContain('<h1>Change your phone number</h1>');
  });

  test('a trusted browser is not a fresh code for a change; JSON clients get 401 with the age asked for', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator, { rememberDevice: 'on' });
    await submit(agent, '/admin', '/logout', {});
    await signIn(agent);
    expect((await agent.get('/admin')).status).toBe(200);
    expect((await agent.get('/2fa/enrol')).headers.location).toBe('/2fa');

    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    const refused = await api.post('/2fa/enrol/send').send({ phoneNumber: NEW_NUMBER });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'second_factor_required', scope: '2FA', maxAgeSeconds: 300 });
  });

  test('MFA_SENSITIVE_MAX_AGE_SECONDS sets how recent the code must be', async () => {
    await instance.restartWith({ MFA_SENSITIVE_MAX_AGE_SECONDS: '60' });
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    expect((await agent.get('/2fa/enrol')).status).toBe(200);
    moveClockOn(61);
    expect((await agent.get('/2fa/enrol')).headers.location).toBe('/2fa');
  });
});
