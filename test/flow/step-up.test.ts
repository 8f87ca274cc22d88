// Step-up per action: a fresh code bound to the action's scope, which no other scope's code can stand in for.
import request from 'supertest';
import { sessionCookie, USERS } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, loginAndVerify, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const ALICE = USERS.alice?.phoneNumber as string;
const bed = useTestBed('step-up', { mfa: { resendCooldownSeconds: 1, messageTemplate: 'Code {CODE} to confirm: {SCOPE}' } });

const transfer = (cookie: string) => request(bed.app).post('/admin/transfer').set(JSON_HEADERS).set('Cookie', cookie).send({ amount: 10 });

test('a login verification does not open a step-up action; the answer names the scope', async () => {
  const cookie = await loginAndVerify(bed.app, bed.emulator);
  const res = await transfer(cookie);
  expect(res.status).toBe(401);
  expect(res.body).toMatchObject({ error: 'second_factor_required', scope: 'transfer' });
});

test('right after signing in, the step-up code can be sent without waiting out the resend cooldown', async () => {
  const patient = bed.appWith({ resendCooldownSeconds: 30 });
  const cookie = await loginAndVerify(patient, bed.emulator);
  await request(patient).post('/admin/transfer').set(JSON_HEADERS).set('Cookie', cookie).send({});
  expect((await send(patient, cookie)).status).toBe(200);
  // The cooldown still holds between two sends of one challenge.
  expect((await send(patient, cookie)).body).toMatchObject({ error: 'resend_cooldown' });
});

test('the step-up code is sent for the action scope, named in the message, and then opens the action', async () => {
  let cookie = await loginAndVerify(bed.app, bed.emulator);
  await transfer(cookie);
  await new Promise((r) => setTimeout(r, 1100));
  expect((await send(bed.app, cookie)).status).toBe(200);
  const sent = bed.emulator.sent.at(-1);
  expect(sent?.scope).toMatch(/^transfer-[0-9a-f]{8}$/);
  expect(sent?.text).toBe(`Code ${sent?.code} to confirm: transfer`);
  const res = await verify(bed.app, cookie, sent?.code);
  expect(res.status).toBe(200);
  cookie = sessionCookie(res.headers);
  expect((await transfer(cookie)).body).toEqual({ transferred: true });
  // The login verification is kept next to the new one.
  expect((await request(bed.app).get('/admin').set(JSON_HEADERS).set('Cookie', cookie)).status).toBe(200);
});

test("a code sent for the login scope is refused for the action's challenge", async () => {
  const cookie = await login(bed.app);
  await send(bed.app, cookie);
  const loginCode = codeFor(bed.emulator);
  const verified = sessionCookie((await verify(bed.app, cookie, loginCode)).headers);
  await transfer(verified);
  await new Promise((r) => setTimeout(r, 1100));
  await send(bed.app, verified);
  // Bandwidth would accept the login code again within its window; the scope keeps it out.
  const res = await verify(bed.app, verified, loginCode === bed.emulator.lastCode(ALICE) ? '000000' : loginCode);
  expect(res.status).toBe(400);
  expect(res.body).toMatchObject({ error: 'invalid_code' });
  expect((await transfer(verified)).status).toBe(401);
});

test('a verification for the action alone does not count as the login second factor', async () => {
  const cookie = await login(bed.app);
  await send(bed.app, cookie, { channel: 'sms', scope: 'transfer' });
  const res = await verify(bed.app, cookie, codeFor(bed.emulator));
  const verified = sessionCookie(res.headers);
  expect((await request(bed.app).get('/admin').set(JSON_HEADERS).set('Cookie', verified)).status).toBe(401);
  expect((await transfer(verified)).status).toBe(401);
});
