// Step-up that means one action: a code approves the action its message named, once, across requests and instances.
import request from 'supertest';
import type { Express, Request } from 'express';
import * as mfa from '../../src';
import { mfaOf, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, loginAndVerify, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('one-action', { mfa: { resendCooldownSeconds: 1 } });

const actionOf = (req: Request) => {
  const { amount, payee } = (req.body ?? {}) as { amount?: unknown; payee?: unknown };
  return `Transfer ${String(amount)} USD to ${String(payee ?? 'J. Doe')}`;
};

/** The test app, with a payment route that needs a single-use code bound to the payment's text. */
function withPayments(app: Express): Express {
  const instance = mfaOf(app);
  app.post(
    '/pay',
    instance.requireSecondFactor(),
    instance.requireSecondFactor({ scope: 'pay', singleUse: true, action: actionOf }),
    (req, res) => {
      const amount = (req.body as { amount?: unknown }).amount;
      if (amount === 'refused-by-handler') return void res.status(400).json({ error: 'invalid_amount' });
      res.json({ paid: amount });
    },
  );
  return app;
}

const pay = (app: Express, cookie: string, body: object) => request(app).post('/pay').set(JSON_HEADERS).set('Cookie', cookie).send(body);
const outlastCooldown = () => new Promise((resolve) => setTimeout(resolve, 1100));

/** Signs in, is refused the payment (which names the action), sends and enters the code; the verified cookie. */
async function approve(app: Express, cookie: string, body: object, channel: 'sms' | 'voice' = 'sms'): Promise<string> {
  const refused = await pay(app, cookie, body);
  expect(refused.status).toBe(401);
  await outlastCooldown();
  expect((await send(app, cookie, { channel, scope: 'pay' })).status).toBe(200);
  const res = await verify(app, cookie, codeFor(bed.emulator));
  expect(res.status).toBe(200);
  return sessionCookie(res.headers);
}

test('four transfers on one code: the first is carried out, the other three are refused', async () => {
  const app = withPayments(bed.appWith());
  const cookie = await approve(app, await loginAndVerify(app, bed.emulator), { amount: '250.00' });
  const answers = [];
  for (let i = 0; i < 4; i += 1) answers.push(await pay(app, cookie, { amount: '250.00' }));
  expect(answers.map((res) => res.status)).toEqual([200, 401, 401, 401]);
  expect(answers[1]?.body).toMatchObject({ error: 'second_factor_required', scope: 'pay', action: 'Transfer 250.00 USD to J. Doe' });
});

test('parallel requests on one verification, on two instances: exactly one passes', async () => {
  const one = withPayments(bed.appWith());
  const two = withPayments(bed.appWith());
  const cookie = await approve(one, await loginAndVerify(one, bed.emulator), { amount: '99' });
  const answers = await Promise.all([one, two, one, two, one, two].map((app) => pay(app, cookie, { amount: '99' })));
  expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
  expect(answers.filter((res) => res.status === 401)).toHaveLength(5);
});

test('a changed amount needs a new code; the approved one still works once', async () => {
  const app = withPayments(bed.appWith());
  const cookie = await approve(app, await loginAndVerify(app, bed.emulator), { amount: '10' });
  const changed = await pay(app, cookie, { amount: '9999999.99' });
  expect(changed.status).toBe(401);
  expect(changed.body).toMatchObject({ error: 'second_factor_required', action: 'Transfer 9999999.99 USD to J. Doe' });
  expect((await pay(app, cookie, { amount: '10', payee: 'M. Mallory' })).status).toBe(401);
  expect((await pay(app, cookie, { amount: '10' })).body).toEqual({ paid: '10' });

  // The code for the new amount names it, and opens exactly that payment.
  const again = await approve(app, cookie, { amount: '9999999.99' });
  expect(bed.emulator.sent.at(-1)?.text).toContain('Transfer 9999999.99 USD to J. Doe');
  expect((await pay(app, again, { amount: '10' })).status).toBe(401);
  expect((await pay(app, again, { amount: '9999999.99' })).body).toEqual({ paid: '9999999.99' });
});

test('the SMS and the call the emulator received name the action; the challenge state shows it', async () => {
  const app = withPayments(bed.appWith());
  const cookie = await approve(app, await loginAndVerify(app, bed.emulator), { amount: '42.00', payee: 'Élise Martin' });
  const sms = bed.emulator.sent.at(-1);
  expect(sms?.text).toBe(
    `Emulated App code ${sms?.code} approves: Transfer 42.00 USD to Élise Martin. If you did not ask for this, do not share the code.`,
  );

  await pay(app, cookie, { amount: '43.00' });
  const state = await request(app).get('/2fa/state').set(JSON_HEADERS).set('Cookie', cookie);
  expect(state.body).toMatchObject({ scope: 'pay', action: 'Transfer 43.00 USD to J. Doe' });
  await outlastCooldown();
  await send(app, cookie, { channel: 'voice', scope: 'pay' });
  expect(bed.emulator.sent.at(-1)).toMatchObject({
    channel: 'voice',
    text: expect.stringContaining('to approve Transfer 43.00 USD to J. Doe is'),
  });
  // In French too.
  await outlastCooldown();
  await send(app, cookie, { channel: 'sms', scope: 'pay' }).set('Accept-Language', 'fr');
  expect(bed.emulator.sent.at(-1)?.text).toMatch(/^Le code Emulated App \d{6} approuve : Transfer 43\.00 USD to J\. Doe\./);
});

test('a handler answering 4xx gives the verification back; a success spends it', async () => {
  const app = withPayments(bed.appWith());
  const body = { amount: 'refused-by-handler' };
  const cookie = await approve(app, await loginAndVerify(app, bed.emulator), body);
  expect((await pay(app, cookie, body)).status).toBe(400);
  expect((await pay(app, cookie, body)).status).toBe(400);
});

describe('bad action text gets a clear 400 and changes nothing', () => {
  const cases: [string, string][] = [
    ['a line break', 'Transfer 10 USD\nto J. Doe'],
    ['a direction override', 'Transfer 10 USD to \u202eeoD .J'],
    ['braces, which Bandwidth reads as placeholders', 'Transfer {CODE} USD'],
    ['more than fits a 2048-character message with the code', 'x'.repeat(2000)],
  ];
  test.each(cases)('%s', async (_why, payee) => {
    const app = withPayments(bed.appWith());
    const cookie = await loginAndVerify(app, bed.emulator);
    const sends = bed.emulator.sent.length;
    const res = await pay(app, cookie, { amount: '10', payee });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: 'invalid_action', message: expect.stringMatching(/too long or holds control characters/) });
    const state = await request(app).get('/2fa/state').set(JSON_HEADERS).set('Cookie', cookie);
    expect(state.body.scope).toBe('2FA');
    expect(state.body.action).toBeUndefined();
    expect(bed.emulator.sent.length).toBe(sends);
  });

  test('the longest text that fits is taken', async () => {
    const app = withPayments(bed.appWith());
    const cookie = await loginAndVerify(app, bed.emulator);
    // The English SMS template is the longer of the two; 6 digits take the place of {CODE}.
    const template = '{NAME} code {CODE} approves: {ACTION}. If you did not ask for this, do not share the code.';
    const longest = 2048 - (template.length - '{ACTION}'.length) + '{CODE}'.length - 6 - 'Transfer 10 USD to '.length;
    expect((await pay(app, cookie, { amount: '10', payee: 'y'.repeat(longest) })).status).toBe(401);
    expect((await pay(app, cookie, { amount: '10', payee: 'y'.repeat(longest + 1) })).status).toBe(400);
  });
});

test('guard options are checked when mounted', () => {
  expect(() => mfa.requireSecondFactor({ singleUse: 'yes' as unknown as boolean })).toThrow(/singleUse.*true or false/);
  expect(() => mfa.requireSecondFactor({ action: 'Transfer' as unknown as () => string })).toThrow(/requireSecondFactor\.action.*function/);
  expect(() => mfa.requireSecondFactor({ singelUse: true } as object)).toThrow(/Did you mean `requireSecondFactor\.singleUse`/);
});
