// Recovery codes in the example app: shown until saved (download, "I have saved them"), used in place of the phone, renewed.
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { startExampleApp, type ExampleApp } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { moveClockOn } from '../helpers/clock';
import { browser, csrfOf, submit, type Agent } from './helpers/form-browser';
import { enterCode, lastCode, outlastCooldown, sendCode, signIn } from './helpers/sign-in-steps';
import { enrolPhone, recoveryCodesOn, signUp } from './helpers/enrolment-steps';
import { sqliteDatabase, type TestDatabase } from './helpers/databases';

const PHONE = '+12015550133';

const instance = useExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1' });

/** Signs up `username` and enrols PHONE: the browser sits on the recovery-codes page; returns the codes it shows. */
async function enrolled(agent: Agent, username: string, app: Pick<ExampleApp, 'emulator'> = instance): Promise<string[]> {
  await signUp(agent, username);
  expect((await enrolPhone(agent, app.emulator, PHONE)).headers.location).toBe('/2fa/recovery-codes');
  return recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text);
}

async function saved(agent: Agent) {
  return submit(agent, '/2fa/recovery-codes', '/2fa/recovery-codes/saved', { saved: 'yes' });
}

const idOf = async (username: string) => (await instance.accounts.findByUsername(username))?.id as string;

describe('the recovery-codes page after enrolment', () => {
  test('shows the ten codes, again on reload, with a .txt download and print, until "I have saved them"', async () => {
    const agent = browser(instance.app);
    const codes = await enrolled(agent, 'ivy');
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);

    const page = await agent.get('/2fa/recovery-codes');
    expect(page.text).toContain('<h1>Save your recovery codes</h1>');
    expect(recoveryCodesOn(page.text)).toEqual(codes);
    expect(page.text).toContain(
      '<a class="button secondary" href="/2fa/recovery-codes.txt" download="recovery-codes.txt">Download as .txt</a>',
    );
    expect(page.text).toContain('<button type="button" class="secondary" id="print-codes" hidden>Print</button>');
    expect(page.text).toContain('<script src="/static/print.js" defer></script>');
    expect(page.text).toContain('<input id="saved" name="saved" type="checkbox" value="yes" required>');

    const file = await agent.get('/2fa/recovery-codes.txt');
    expect(file.status).toBe(200);
    expect(file.headers['content-type']).toBe('text/plain; charset=utf-8');
    expect(file.headers['content-disposition']).toBe('attachment; filename="recovery-codes.txt"');
    expect(file.headers['cache-control']).toBe('no-store');
    expect(file.text).toContain('Example Co. recovery codes for ivy');
    expect(file.text.split('\r\n').filter((line) => /^[A-Z0-9]{4}-/.test(line))).toEqual(codes);

    const done = await saved(agent);
    expect(done.status).toBe(303);
    expect(done.headers.location).toBe('/admin');
    // Gone from the session: never shown again, not downloadable.
    const after = await agent.get('/2fa/recovery-codes');
    expect(recoveryCodesOn(after.text)).toEqual([]);
    expect(after.text).toContain('You have <strong>10</strong> recovery codes left.');
    expect((await agent.get('/2fa/recovery-codes.txt')).status).toBe(404);
    expect(instance.logs.join('\n')).not.toContain(codes[0]);
  });

  test('continuing without ticking the box: an error tied to it, and the codes still there', async () => {
    const agent = browser(instance.app);
    const codes = await enrolled(agent, 'jack');
    const refused = await submit(agent, '/2fa/recovery-codes', '/2fa/recovery-codes/saved', {});
    expect(refused.status).toBe(400);
    expect(refused.text).toContain(
      '<p id="saved-error" class="error" role="alert">Tick the box once the codes are saved: they will not be shown again.</p>',
    );
    expect(refused.text).toContain(
      '<input id="saved" name="saved" type="checkbox" value="yes" required aria-describedby="saved-error" aria-invalid="true" autofocus>',
    );
    expect(recoveryCodesOn(refused.text)).toEqual(codes);
  });

  test('needs the second factor: a password-only session sees no codes', async () => {
    const agent = browser(instance.app);
    await signUp(agent, 'kate');
    expect((await agent.get('/2fa/recovery-codes')).headers.location).toBe('/2fa/enrol');
    expect((await agent.get('/2fa/recovery-codes.txt')).headers.location).toBe('/2fa/enrol');
    const stranger = await request(instance.app).get('/2fa/recovery-codes').set('Accept', 'application/json');
    expect(stranger.status).toBe(401);
  });

  test('kept at most 30 minutes unsaved', async () => {
    const agent = browser(instance.app);
    await enrolled(agent, 'lena');
    moveClockOn(31 * 60);
    expect(recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text)).toEqual([]);
  });
});

describe('signing in with a recovery code', () => {
  test('the challenge page offers it; a code works once, case and spaces aside, then a new set, then /admin', async () => {
    const agent = browser(instance.app);
    const codes = await enrolled(agent, 'mia');
    await saved(agent);
    await submit(agent, '/admin', '/logout', {});
    await signIn(agent, 'mia', 'mia-password-1');
    expect((await agent.get('/admin')).headers.location).toBe('/2fa');

    const challenge = await agent.get('/2fa');
    expect(challenge.text).toContain('<summary>Lost your phone? Use a recovery code</summary>');
    expect(challenge.text).toMatch(/<form method="post" action="\/2fa\/recovery">/);
    expect(challenge.text).toMatch(
      /<input id="mfa-recovery-code" name="recoveryCode" type="text" class="mfa-text" required autocomplete="off" autocapitalize="characters"/,
    );
    expect(challenge.text).not.toContain('id="mfa-recovery-left"');

    const typed = ` ${(codes[3] as string).toLowerCase().replace(/-/g, ' ')} `;
    const used = await agent
      .post('/2fa/recovery')
      .type('form')
      .send({ _csrf: csrfOf(challenge.text), recoveryCode: typed });
    expect(used.status).toBe(303);
    expect(used.headers.location).toBe('/2fa/recovery-codes');
    expect(await instance.accounts.countRecoveryCodes(await idOf('mia'))).toBe(9);
    expect(instance.logs.join('\n')).toMatch(/mfa recovery_code_used user=\S+ left=9/);
    // A used code means the set is at risk: a new one at once, which replaces the old one as it is shown.
    const renewed = recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text);
    expect(renewed).toHaveLength(10);
    expect(renewed.filter((code) => codes.includes(code))).toEqual([]);
    expect(await instance.accounts.countRecoveryCodes(await idOf('mia'))).toBe(10);
    expect((await saved(agent)).headers.location).toBe('/admin');
    expect((await agent.get('/admin')).status).toBe(200);

    // The same code a second time: refused, the sentence at the recovery field, the section open.
    await submit(agent, '/admin', '/logout', {});
    await signIn(agent, 'mia', 'mia-password-1');
    const again = await submit(agent, '/2fa', '/2fa/recovery', { recoveryCode: codes[3] as string });
    expect(again.headers.location).toBe('/2fa?form=recovery&error=invalid_code');
    const page = await agent.get('/2fa?form=recovery&error=invalid_code');
    expect(page.text).toContain('<details class="mfa-card mfa-secondary" id="mfa-recovery" open>');
    expect(page.text).toContain(
      '<p id="mfa-recovery-code-error" class="mfa-error" role="alert">That recovery code is not valid or was already used. Check it and try again.</p>',
    );
    expect(page.text).toMatch(
      /<input id="mfa-recovery-code"[^>]*aria-describedby="mfa-recovery-code-hint mfa-recovery-code-error" aria-invalid="true" autofocus>/,
    );
    expect(page.text).not.toContain('id="mfa-code-error"');
    expect((await agent.get('/admin')).headers.location).toBe('/2fa');
  });

  test('a malformed recovery code: its own sentence; JSON: the codes left and where to go', async () => {
    const agent = browser(instance.app);
    const codes = await enrolled(agent, 'nina');
    await submit(agent, '/admin', '/logout', {});
    await signIn(agent, 'nina', 'nina-password-1');
    const malformed = await submit(agent, '/2fa', '/2fa/recovery', { recoveryCode: 'not a code!' });
    expect(malformed.headers.location).toBe('/2fa?form=recovery&error=invalid_request');
    expect((await agent.get(malformed.headers.location as string)).text).toContain(
      'Enter a recovery code as you saved it, such as ABCD-EFGH-JKMN-PQRS.',
    );

    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: 'nina', password: 'nina-password-1' });
    const used = await api.post('/2fa/recovery').send({ recoveryCode: codes[0] });
    expect(used.status).toBe(200);
    expect(used.body).toEqual({ verified: true, recoveryCodesLeft: 9, newRecoveryCodes: true, redirectTo: '/2fa/recovery-codes' });
    expect((await api.post('/2fa/recovery').send({ recoveryCode: codes[0] })).body).toMatchObject({ error: 'invalid_code' });
  });

  test('the challenge page warns at two codes or fewer, and at none offers no form', async () => {
    const agent = browser(instance.app);
    await enrolled(agent, 'omar');
    await saved(agent);
    const id = await idOf('omar');
    await submit(agent, '/admin', '/logout', {});
    await signIn(agent, 'omar', 'omar-password-1');

    await instance.accounts.replaceRecoveryCodes(id, ['h-1', 'h-2', 'h-3']);
    expect((await agent.get('/2fa')).text).not.toContain('id="mfa-recovery-left"');
    await instance.accounts.replaceRecoveryCodes(id, ['h-1', 'h-2']);
    expect((await agent.get('/2fa')).text).toContain(
      '<p class="mfa-warning" id="mfa-recovery-left">Recovery codes left: 2. Once signed in, make a new set in your account settings.</p>',
    );
    await instance.accounts.replaceRecoveryCodes(id, ['h-1']);
    expect((await agent.get('/2fa')).text).toContain('Recovery codes left: 1.');
    await instance.accounts.replaceRecoveryCodes(id, []);
    const none = await agent.get('/2fa');
    expect(none.text).toContain('You have no recovery codes left. Once signed in, make a set in your account settings');
    expect(none.text).not.toContain('action="/2fa/recovery"');
  });

  test('not offered for a step-up code, which a recovery code cannot give', async () => {
    const agent = browser(instance.app);
    await enrolled(agent, 'paul');
    await saved(agent);
    expect((await submit(agent, '/admin/transfer', '/admin/transfer', { amount: '10' })).headers.location).toBe('/2fa');
    const page = await agent.get('/2fa');
    expect(page.text).toContain('<h1 id="mfa-title">Confirm the transfer</h1>');
    expect(page.text).not.toContain('action="/2fa/recovery"');
  });
});

describe('a new set', () => {
  test('from the security page with a fresh code: shown once, the old codes void, then back to the page', async () => {
    const agent = browser(instance.app);
    const old = await enrolled(agent, 'quinn');
    await saved(agent);
    const made = await submit(agent, '/account', '/account/recovery-codes', {});
    expect(made.status).toBe(303);
    expect(made.headers.location).toBe('/2fa/recovery-codes');
    const fresh = recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text);
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => old.includes(code))).toEqual([]);
    expect((await saved(agent)).headers.location).toBe('/account');

    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: 'quinn', password: 'quinn-password-1' });
    expect((await api.post('/2fa/recovery').send({ recoveryCode: old[0] })).body).toMatchObject({ error: 'invalid_code' });
    expect((await api.post('/2fa/recovery').send({ recoveryCode: fresh[0] })).body).toMatchObject({ verified: true, recoveryCodesLeft: 9 });
    // JSON: the set in the answer.
    const json = await api.post('/account/recovery-codes').send({});
    expect(json.status).toBe(200);
    expect(json.body.recoveryCodes).toHaveLength(10);
  });

  test('without a code in the last 5 minutes: a code first, then the page offers the new set', async () => {
    const agent = browser(instance.app);
    await enrolled(agent, 'rosa');
    await saved(agent);
    moveClockOn(301);
    const refused = await submit(agent, '/account', '/account/recovery-codes', {});
    expect(refused.headers.location).toBe('/2fa?error=second_factor_required');
    expect((await agent.get('/2fa?error=second_factor_required')).text).toContain('To make new recovery codes, first confirm it is you.');
    expect(await instance.accounts.countRecoveryCodes(await idOf('rosa'))).toBe(10);

    await outlastCooldown();
    await sendCode(agent);
    const back = await enterCode(agent, lastCode(instance.emulator, PHONE));
    expect(back.headers.location).toBe('/2fa/recovery-codes');
    const offer = await agent.get('/2fa/recovery-codes');
    expect(offer.text).toContain('<h1>Recovery codes</h1>');
    expect(offer.text).toContain('<form method="post" action="/account/recovery-codes" class="card">');
    const made = await submit(agent, '/2fa/recovery-codes', '/account/recovery-codes', {});
    expect(recoveryCodesOn((await agent.get(made.headers.location as string)).text)).toHaveLength(10);
  });

  test('JSON: 401 second_factor_required with the age asked for once the last code is older', async () => {
    const agent = browser(instance.app);
    const codes = await enrolled(agent, 'sara');
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: 'sara', password: 'sara-password-1' });
    expect((await api.post('/2fa/recovery').send({ recoveryCode: codes[0] })).status).toBe(200);
    moveClockOn(301);
    const stale = await api.post('/account/recovery-codes').send({});
    expect(stale.status).toBe(401);
    expect(stale.body).toMatchObject({ error: 'second_factor_required', scope: '2FA', maxAgeSeconds: 300 });
    expect(await instance.accounts.countRecoveryCodes(await idOf('sara'))).toBe(9);
  });
});

describe('the development recovery-code secret', () => {
  let database: TestDatabase;
  beforeEach(async () => {
    database = await sqliteDatabase();
  });
  afterEach(async () => {
    await database.drop();
  });

  test('is kept beside the SQLite file, so codes made before a restart work after it', async () => {
    const env = { DATABASE_URL: database.url, MFA_RESEND_COOLDOWN_SECONDS: '1' };
    const first = await startExampleApp(env);
    let codes: string[];
    try {
      codes = await enrolled(browser(first.app), 'sam', first);
      expect(first.logs.join('\n')).toMatch(
        /MFA_RECOVERY_CODE_SECRET is not set: recovery codes are keyed with the development secret in .*recovery-code-secret/,
      );
    } finally {
      await first.close();
    }
    const file = path.join(path.dirname(database.url.slice('sqlite:'.length)), 'recovery-code-secret');
    expect(fs.statSync(file).mode & 0o777).toBe(0o600);

    const second = await startExampleApp(env);
    try {
      const api = request.agent(second.app).set('Accept', 'application/json');
      await api.post('/login').send({ username: 'sam', password: 'sam-password-1' });
      expect((await api.post('/2fa/recovery').send({ recoveryCode: codes[0] })).body).toMatchObject({
        verified: true,
        recoveryCodesLeft: 9,
      });
    } finally {
      await second.close();
    }
  });
});
