// The owner is told of every change to their second factor (`notify`), and every event of a request says where it came from.
import type { Express } from 'express';
import request from 'supertest';
import { NOTIFY_EVENTS, type MfaEvent } from '../../src';
import { mfaOf, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('notify', { lifecycle: true, mfa: { resendCooldownSeconds: 1, phoneNumbers: { defaultCountry: 'US' } } });
const BROWSER = 'Mozilla/5.0 (notification test)';
const CANDIDATE = '+12015550133';
const OTHER = '+12015550144';

const post = (app: Express, path: string, cookie: string, body: object = {}) =>
  request(app).post(path).set(JSON_HEADERS).set('User-Agent', BROWSER).set('Cookie', cookie).send(body);
const outlastCooldown = () => new Promise((resolve) => setTimeout(resolve, 1100));

/** carol enrols CANDIDATE, changes to OTHER, trusts this browser, removes the number; an operator resets her. */
async function lifeOfCarol(app: Express): Promise<void> {
  let cookie = await login(app, 'carol');
  await post(app, '/2fa/enrol/send', cookie, { phoneNumber: CANDIDATE });
  let res = await post(app, '/2fa/enrol/verify', cookie, { code: bed.emulator.lastCode(CANDIDATE) });
  expect(res.status).toBe(200);
  cookie = sessionCookie(res.headers);
  const [recoveryCode] = res.body.recoveryCodes as string[];

  await outlastCooldown();
  await post(app, '/2fa/enrol/send', cookie, { phoneNumber: OTHER });
  res = await post(app, '/2fa/enrol/verify', cookie, { code: bed.emulator.lastCode(OTHER) });
  expect(res.status).toBe(200);
  cookie = sessionCookie(res.headers);

  await outlastCooldown();
  await post(app, '/2fa/send', cookie, { channel: 'sms' });
  res = await post(app, '/2fa/verify', cookie, { code: bed.emulator.lastCode(OTHER), rememberDevice: true });
  expect(res.status).toBe(200);
  cookie = sessionCookie(res.headers);

  expect((await post(app, '/2fa/recovery-codes', cookie)).status).toBe(200);
  const fresh = await login(app, 'carol');
  const stale = await post(app, '/2fa/recovery', fresh, { recoveryCode });
  // The set was replaced: the first code no longer works, one of the new ones does.
  expect(stale.status).toBe(400);
  expect((await post(app, '/2fa/phone/remove', cookie)).status).toBe(200);
  await mfaOf(app).resetSecondFactor('user-carol', { actor: 'support:jo' });
}

test('notify hears each event the owner must be told of, with the time, masked numbers, address and browser', async () => {
  const notices: MfaEvent[] = [];
  const app = bed.appWith({ notify: (event) => void notices.push(event) });
  await lifeOfCarol(app);
  const [code] = await mfaOf(app).generateRecoveryCodes('user-alice');
  expect((await post(app, '/2fa/recovery', await login(app), { recoveryCode: code })).status).toBe(200);

  expect(notices.map((n) => n.type)).toEqual([
    'phone_enrolled',
    'recovery_codes_generated',
    'phone_changed',
    'device_trusted',
    'recovery_codes_generated',
    'phone_removed',
    'second_factor_reset',
    'recovery_codes_generated',
    'recovery_code_used',
  ]);
  // Every notice but the passkeys' (test/flow/passkeys.test.ts hears those).
  expect(new Set(notices.map((n) => n.type))).toEqual(new Set(NOTIFY_EVENTS.filter((type) => !type.startsWith('passkey_'))));
  const [enrolled, , changed, trusted, , removed, reset, , used] = notices;
  const fromTheBrowser = { ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: BROWSER, at: expect.any(Date) };
  expect(enrolled).toMatchObject({ userId: 'user-carol', maskedPhoneNumber: '+1******0133', ...fromTheBrowser });
  expect(changed).toMatchObject({ maskedPhoneNumber: '+1******0144', previousMaskedPhoneNumber: '+1******0133', ...fromTheBrowser });
  expect(trusted).toMatchObject({ maskedPhoneNumber: '+1******0144', deviceId: expect.any(String), ...fromTheBrowser });
  expect(removed).toMatchObject({ previousMaskedPhoneNumber: '+1******0144', ...fromTheBrowser });
  expect(reset).toMatchObject({ userId: 'user-carol', actor: 'support:jo' });
  expect(reset?.ip).toBeUndefined();
  expect(used).toMatchObject({ userId: 'user-alice', recoveryCodesLeft: 9, ...fromTheBrowser });
  // Never a full number or a code.
  expect(JSON.stringify(notices)).not.toMatch(/\+1201555013[34]|\+12025550101/);
  // Events that are not notices stay with onEvent alone.
  expect(bed.events.some((e) => e.type === 'code_sent')).toBe(true);
});

test('every event emitted during a request carries the client address and user agent', async () => {
  const app = bed.appWith();
  const cookie = await login(app);
  await post(app, '/2fa/send', cookie, { channel: 'sms' });
  await post(app, '/2fa/verify', cookie, { code: '000000' });
  const sent = bed.events.find((e) => e.type === 'code_sent');
  const rejected = bed.events.find((e) => e.type === 'code_rejected');
  for (const event of [sent, rejected]) expect(event).toMatchObject({ ip: expect.stringMatching(/127\.0\.0\.1$/), userAgent: BROWSER });
});

describe('a notify hook that fails', () => {
  test.each([
    [
      'throws',
      () => {
        throw new Error('mail server down');
      },
    ],
    ['rejects', () => Promise.reject(new Error('mail server down'))],
  ])('%s: the sign-in succeeds, and the failure is logged once a minute without the event', async (_how, notify) => {
    const app = bed.appWith({ notify, trustedDevices: { days: 30 } });
    for (let i = 0; i < 3; i += 1) {
      const cookie = await login(app);
      if (i > 0) await outlastCooldown();
      await send(app, cookie);
      const res = await verify(app, cookie, codeFor(bed.emulator), { rememberDevice: true });
      expect(res.status).toBe(200);
      expect(String(res.headers['set-cookie'])).toMatch(/mfa_trusted=/);
      expect((await request(app).get('/admin').set(JSON_HEADERS).set('Cookie', sessionCookie(res.headers))).status).toBe(200);
    }
    // An operator's new set and a sign-in with one of its codes, both notices, go through as well.
    const [code] = await mfaOf(app).generateRecoveryCodes('user-alice');
    const recovered = await post(app, '/2fa/recovery', await login(app), { recoveryCode: code });
    expect(recovered.status).toBe(200);
    expect((await request(app).get('/admin').set(JSON_HEADERS).set('Cookie', sessionCookie(recovered.headers))).status).toBe(200);
    await new Promise((resolve) => setImmediate(resolve));
    const lines = bed.logs.filter((line) => /notify failed/.test(line));
    expect(lines).toEqual(['express-bandwidth-mfa: notify failed (Error); the event was dropped.']);
    expect(bed.logs.join('\n')).not.toMatch(/mail server down|0101/);
  });

  test('a notify that is not a function is refused at start-up', () => {
    expect(() => bed.appWith({ notify: 'ops@example.com' as unknown as () => void })).toThrow(/`notify` must be a function/);
    expect(() => bed.appWith({ notfy: () => undefined } as object)).toThrow(/Did you mean `notify`/);
  });
});

test('verify stays the same without notify: onEvent alone still gets every event', async () => {
  const app = bed.appWith();
  const cookie = await login(app);
  await send(app, cookie);
  expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);
  expect(bed.events.map((e) => e.type)).toEqual(['code_sent', 'code_verified']);
});
