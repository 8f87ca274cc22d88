// The challenge belongs to the signed-in user: nothing in a request body can pick the number, the user or the outcome.
import request from 'supertest';
import { USERS, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, send, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const ALICE = USERS.alice?.phoneNumber as string;
const BOB = USERS.bob?.phoneNumber as string;
const ATTACKER = '+12025559999';

/** Fields an attacker adds to any body, hoping one of them is read. */
const FORGED = {
  to: ATTACKER,
  phoneNumber: ATTACKER,
  number: ATTACKER,
  userId: 'user-bob',
  user: { id: 'user-bob', phoneNumber: ATTACKER },
  verified: true,
  valid: true,
  from: ATTACKER,
  applicationId: 'voice-app-id',
  digits: 4,
  message: 'code {CODE}',
  expirationTimeInMinutes: 15,
  providerScope: '2FA',
  id: 'x',
  mfa: { verified: { '2FA': { userId: 'user-alice', at: Date.now() } } },
};

const bed = useTestBed('binding');

function verifyWith(cookie: string, body: object) {
  return request(bed.app).post('/2fa/verify').set(JSON_HEADERS).set('Cookie', cookie).send(body);
}

describe('the challenge is bound to the signed-in user', () => {
  test('forged fields in a JSON send body are ignored: the stored number, our sender, our settings', async () => {
    const cookie = await login(bed.app);
    expect((await send(bed.app, cookie, { channel: 'sms', ...FORGED })).status).toBe(200);
    expect(bed.emulator.sent).toHaveLength(1);
    expect(bed.emulator.sent[0]).toMatchObject({ to: ALICE, from: '+19195550100', applicationId: 'messaging-app-id', digits: 6 });
    expect(bed.emulator.sent[0]?.text).not.toMatch(/^code /);
    expect(bed.emulator.sent[0]?.scope).toMatch(/^2FA-[0-9a-f]{8}$/);
  });

  test('forged fields in a form send body are ignored too', async () => {
    const cookie = await login(bed.app);
    const res = await request(bed.app)
      .post('/2fa/send')
      .set('Cookie', cookie)
      .set(JSON_HEADERS)
      .type('form')
      .send({ channel: 'sms', to: ATTACKER, phoneNumber: ATTACKER, userId: 'user-bob', digits: '4' });
    expect(res.status).toBe(200);
    expect(bed.emulator.sent.map((s) => [s.to, s.digits])).toEqual([[ALICE, 6]]);
  });

  test('forged fields in a verify body neither verify a wrong code nor redirect Bandwidth', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const right = codeFor(bed.emulator);
    const res = await verifyWith(cookie, { ...FORGED, code: wrongCode(right) });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_code');
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    const ok = await verifyWith(cookie, { ...FORGED, code: right });
    expect(ok.status).toBe(200);
    const verifies = bed.emulator.requests.filter((r) => r.endpoint === 'verify').map((r) => r.body as Record<string, unknown>);
    expect(verifies).toHaveLength(2);
    for (const body of verifies) {
      expect(body.to).toBe(ALICE);
      expect(body.scope).toBe(bed.emulator.sent[0]?.scope);
      expect(body.expirationTimeInMinutes).toBeLessThanOrEqual(5);
    }
  });

  test("another user's code, quoted with that user's number, does not verify this user", async () => {
    const aliceCookie = await login(bed.app, 'alice');
    await send(bed.app, aliceCookie);
    const aliceCode = codeFor(bed.emulator, 'alice');
    const bobCookie = await login(bed.app, 'bob');
    await send(bed.app, bobCookie);
    const res = await verifyWith(bobCookie, { code: aliceCode, to: ALICE, userId: 'user-alice' });
    // Bob's own code could equal Alice's by chance (one in a million); then the outcome proves nothing.
    if (aliceCode !== codeFor(bed.emulator, 'bob')) {
      expect(res.status).toBe(400);
      expect((await getAdmin(bed.app, bobCookie)).status).toBe(401);
    }
    expect(bed.emulator.requests.filter((r) => r.endpoint === 'verify').map((r) => (r.body as { to: string }).to)).toEqual([BOB]);
  });

  test('a challenge left in the session does not carry over when the app switches the user in place', async () => {
    const cookie = await login(bed.app, 'alice');
    await send(bed.app, cookie);
    await request(bed.app).post('/switch-user-in-place').set('Cookie', cookie).send({ username: 'bob' });
    const res = await verifyWith(cookie, { code: codeFor(bed.emulator, 'alice') });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('no_pending_challenge');
    expect(bed.emulator.requestCount('verify')).toBe(0);
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
  });

  test('a code verified for another scope does not open the login scope', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie, { channel: 'sms', scope: 'transfer' });
    const res = await verifyWith(cookie, { code: codeFor(bed.emulator), scope: '2FA' });
    expect(res.status).toBe(200);
    expect((await getAdmin(bed.app, sessionCookie(res.headers))).status).toBe(401);
  });
});
