// Security notices of the example app: a mail per event through a real SMTP server, the sandbox outbox, the history on the account page.
import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, submit, type Agent } from './helpers/form-browser';
import { enterCode, lastCode, outlastCooldown, sendCode, signIn } from './helpers/sign-in-steps';
import { enrolPhone, recoveryCodesOn, signUp } from './helpers/enrolment-steps';
import { ENGINES } from './helpers/databases';

const PHONE = '+12015550133';
const NEW_PHONE = '+12015550144';
const EMAIL = 'ivy@example.com';
const FROM = 'Example Co. security <security@example.test>';

interface Mail {
  from: string;
  to: string[];
  subject: string;
  body: string;
}

/** An SMTP server on loopback that keeps what it receives, decoded enough to read headers and text. */
async function mailServer(): Promise<{ url: string; mails: Mail[]; close(): Promise<void> }> {
  const mails: Mail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onData(stream, session, callback) {
      let raw = '';
      stream.setEncoding('utf8');
      stream.on('data', (chunk: string) => (raw += chunk));
      stream.on('end', () => {
        const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
        const header = (name: string) =>
          new RegExp(`^${name}: (.*(?:\\r?\\n[ \\t].*)*)`, 'im').exec(head)?.[1]?.replace(/\r?\n[ \t]/g, ' ') ?? '';
        // Quoted-printable, as nodemailer writes long plain-text lines.
        const body = rest
          .join('\n\n')
          .replace(/=\r?\n/g, '')
          .replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));
        mails.push({
          from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
          to: session.envelope.rcptTo.map((rcpt) => rcpt.address),
          subject: header('Subject'),
          body: Buffer.from(body, 'latin1').toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  return { url: `smtp://127.0.0.1:${port}`, mails, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

/** Waits (bounded) for what the app does after answering: notices are not awaited by the library. */
async function until(check: () => boolean | Promise<boolean>, what: string): Promise<void> {
  for (let i = 0; i < 200; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`still waiting for ${what}`);
}

async function signedUpAndEnrolled(instance: ExampleApp, agent: Agent, email?: string): Promise<string[]> {
  await submit(agent, '/signup', '/signup', { username: 'ivy', password: 'ivy-password-1', ...(email ? { email } : {}) });
  expect((await enrolPhone(agent, instance.emulator, PHONE)).headers.location).toBe('/2fa/recovery-codes');
  return recoveryCodesOn((await agent.get('/2fa/recovery-codes')).text);
}

describe('with SMTP_URL', () => {
  let smtp: Awaited<ReturnType<typeof mailServer>>;
  let instance: ExampleApp;
  beforeEach(async () => {
    smtp = await mailServer();
    instance = await startExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1', SMTP_URL: smtp.url, MAIL_FROM: FROM });
  });
  afterEach(async () => {
    await instance.close();
    await smtp.close();
  });

  test('a mail per event to the address given at sign-up: sender, recipient, subject, masked number, never a full number or a code', async () => {
    const agent = browser(instance.app);
    const recoveryCodes = await signedUpAndEnrolled(instance, agent, EMAIL);
    const smsCode = lastCode(instance.emulator, PHONE);
    await until(() => smtp.mails.length === 2, 'the enrolment mails');

    // A recovery code in place of the phone, in another browser.
    const other = browser(instance.app);
    await signIn(other, 'ivy', 'ivy-password-1');
    await submit(other, '/2fa', '/2fa/recovery', { recoveryCode: recoveryCodes[0] as string });
    // Trusting a browser, then changing the number from it.
    const third = browser(instance.app);
    await signIn(third, 'ivy', 'ivy-password-1');
    await outlastCooldown();
    await sendCode(third);
    await enterCode(third, lastCode(instance.emulator, PHONE), { rememberDevice: 'on' });
    await outlastCooldown();
    await enrolPhone(third, instance.emulator, NEW_PHONE);
    const user = await instance.accounts.findByUsername('ivy');
    await instance.mfa.resetSecondFactor(user!.id, { actor: 'support:jo' });
    await until(() => smtp.mails.length === 6, 'a mail per event');

    // Two notices of one request (a number and its first recovery codes) may reach the server in either order.
    expect(smtp.mails.map((mail) => mail.subject).sort()).toEqual([
      'A browser now skips the sign-in code on your account',
      'A phone number was added to your account',
      'A recovery code was used to sign in to your account',
      'New recovery codes were made for your account',
      'The phone number of your account was changed',
      'The second factor of your account was reset',
    ]);
    for (const mail of smtp.mails) {
      expect(mail.from).toBe('security@example.test');
      expect(mail.to).toEqual([EMAIL]);
      expect(mail.body).toContain('Hello ivy,');
      expect(mail.body).not.toMatch(/\+12015550133|\+12015550144|2015550133|2015550144/);
      expect(mail.body).not.toContain(smsCode);
      for (const code of recoveryCodes) expect(mail.body).not.toContain(code);
    }
    const mailAbout = (start: string) => smtp.mails.find((mail) => mail.subject.startsWith(start));
    const [added, recovered, trusted, changed, reset] = [
      'A phone number',
      'A recovery code',
      'A browser',
      'The phone number',
      'The second factor',
    ].map(mailAbout);
    expect(added?.body).toContain('Phone number +1******0133 added.');
    expect(added?.body).toMatch(/When: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC/);
    expect(added?.body).toMatch(/From the address: (::ffff:)?127\.0\.0\.1/);
    expect(recovered?.body).toContain('Recovery codes left: 9');
    expect(trusted?.body).toContain('A browser was trusted to skip the sign-in code.');
    expect(changed?.body).toContain('Phone number changed from +1******0133 to +1******0144.');
    expect(reset?.body).toContain('Second factor reset by support:jo.');
    expect(reset?.body).not.toContain('From the address');
  });

  test('no address given: nothing is mailed, the history is kept; the address can be added on the account page', async () => {
    const agent = browser(instance.app);
    await signedUpAndEnrolled(instance, agent);
    const user = await instance.accounts.findByUsername('ivy');
    await until(async () => (await instance.accounts.recentSecurityEvents(user!.id)).length === 2, 'the history rows');
    expect(smtp.mails).toEqual([]);

    const bad = await submit(agent, '/account', '/account/email', { email: 'not an address' });
    expect(bad.status).toBe(400);
    expect(bad.text).toContain('Enter an e-mail address such as jo@example.com');
    const saved = await submit(agent, '/account', '/account/email', { email: EMAIL });
    expect(saved.headers.location).toBe('/account?changed=email');
    expect((await agent.get('/account?changed=email')).text).toContain(`We write to <strong>${EMAIL}</strong>`);
    await instance.mfa.resetSecondFactor(user!.id, { actor: 'support:jo' });
    await until(() => smtp.mails.length === 1, 'the reset mail');
    expect(smtp.mails[0]?.to).toEqual([EMAIL]);
  });

  test('a bad address at sign-up is refused next to its field, and no account is made', async () => {
    const agent = browser(instance.app);
    const res = await submit(agent, '/signup', '/signup', {
      username: 'ivy',
      password: 'ivy-password-1',
      email: 'ivy@example.com\r\nBcc: all@example.com',
    });
    expect(res.status).toBe(400);
    expect(res.text).toContain('id="email-error"');
    expect(await instance.accounts.findByUsername('ivy')).toBeUndefined();
    // No outbox outside the sandbox's mail-less mode.
    expect((await agent.get('/sandbox/outbox')).status).toBe(404);
  });
});

test('a mail server that is down never fails a sign-up or an enrolment; it is logged once a minute', async () => {
  const down = await mailServer();
  await down.close();
  const instance = await startExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1', SMTP_URL: down.url });
  try {
    const agent = browser(instance.app);
    const codes = await signedUpAndEnrolled(instance, agent, EMAIL);
    expect(codes).toHaveLength(10);
    const user = await instance.accounts.findByUsername('ivy');
    await until(() => instance.logs.some((line) => /notify failed/.test(line)), 'the failure to be logged');
    await until(async () => (await instance.accounts.recentSecurityEvents(user!.id)).length === 2, 'the history rows');
    expect(instance.logs.filter((line) => /notify failed/.test(line))).toEqual([
      'express-bandwidth-mfa: notify failed (Error); the event was dropped.',
    ]);
    expect((await agent.get('/admin')).status).toBe(200);
  } finally {
    await instance.close();
  }
});

test('in the sandbox without SMTP_URL, the notices are shown on the outbox page of the signed-in user only', async () => {
  const instance = await startExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1' });
  try {
    const agent = browser(instance.app);
    await signedUpAndEnrolled(instance, agent, EMAIL);
    await until(async () => (await agent.get('/sandbox/outbox').set('Accept', 'application/json')).body.mails?.length === 2, 'the outbox');
    const page = await agent.get('/sandbox/outbox');
    expect(page.status).toBe(200);
    expect(page.text).toMatch(/<h2 id="mail-[01]">A phone number was added to your account<\/h2>/);
    expect(page.text).toContain('Phone number +1******0133 added.');
    expect(page.text).not.toContain(PHONE);
    const stranger = browser(instance.app);
    await signUp(stranger, 'zoe');
    expect((await stranger.get('/sandbox/outbox').set('Accept', 'application/json')).body).toEqual({ mails: [] });
  } finally {
    await instance.close();
  }
});

describe.each(ENGINES)('the security history on %s', (_engine, createDatabase) => {
  test("the account page lists the factor's life with time and address; rows go with the account", async () => {
    const database = await createDatabase();
    const instance = await startExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1', DATABASE_URL: database.url });
    try {
      const agent = browser(instance.app);
      await signedUpAndEnrolled(instance, agent);
      const user = await instance.accounts.findByUsername('ivy');
      await submit(agent, '/2fa/recovery-codes', '/2fa/recovery-codes/saved', { saved: 'yes' });
      await outlastCooldown();
      await enrolPhone(agent, instance.emulator, NEW_PHONE);
      await until(async () => (await instance.accounts.recentSecurityEvents(user!.id)).length === 3, 'the history rows');

      const page = await agent.get('/account');
      expect(page.text).toContain('<h2 id="activity-heading">Recent security activity</h2>');
      const items = [...page.text.matchAll(/<li><strong>([^<]+)<\/strong>, <time datetime="([^"]+)">[^<]+<\/time>, from ([^ <]+)/g)].map(
        (m) => m.slice(1),
      );
      expect(items.map(([what]) => what).sort()).toEqual([
        'New recovery codes made (the old ones stopped working)',
        'Phone number +1******0133 added',
        'Phone number changed from +1******0133 to +1******0144',
      ]);
      for (const [, at, ip] of items) {
        expect(Date.now() - Date.parse(at as string)).toBeLessThan(600_000);
        expect(ip).toMatch(/127\.0\.0\.1$/);
      }
      const json = await agent.get('/account').set('Accept', 'application/json');
      expect(json.body.securityActivity[0]).toMatchObject({
        type: 'phone_changed',
        maskedPhoneNumber: '+1******0144',
        previousMaskedPhoneNumber: '+1******0133',
      });
      expect(JSON.stringify(json.body.securityActivity)).not.toContain('2015550133');

      expect(await instance.accounts.deleteUser(user!.id)).toBe(true);
      expect(await instance.accounts.recentSecurityEvents(user!.id)).toEqual([]);
    } finally {
      await instance.close();
      await database.drop();
    }
  });
});
