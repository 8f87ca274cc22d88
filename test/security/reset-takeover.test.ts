// Enrolment after a reset or a removal: a session that passed the password step before it (an attacker holding the password) cannot add its number.
import type { Express, Request } from 'express';
import request from 'supertest';
import { mfaOf, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, postForm, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('reset-takeover', { lifecycle: true });

const ATTACKER = '+12015550166';
const OWNER_NEW = '+12015550177';

const enrolSend = (app: Express, cookie: string, phoneNumber: string) =>
  request(app).post('/2fa/enrol/send').set(JSON_HEADERS).set('Cookie', cookie).send({ phoneNumber });
const enrolVerify = (app: Express, cookie: string, code: string) =>
  request(app).post('/2fa/enrol/verify').set(JSON_HEADERS).set('Cookie', cookie).send({ code });
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Signs in afresh and enrols `phoneNumber`: what the owner does after support reset the factor. */
async function enrolAfresh(app: Express, phoneNumber: string) {
  const cookie = await login(app);
  expect((await enrolSend(app, cookie, phoneNumber)).status).toBe(200);
  return enrolVerify(app, cookie, bed.emulator.lastCode(phoneNumber) as string);
}

describe("after an operator's resetSecondFactor", () => {
  test('a session signed in before it is told to sign in again, and nothing is sent to the attacker', async () => {
    // The attacker has the password: signed in, stopped at the code.
    const attacker = await login(bed.app);
    await mfaOf(bed.app).resetSecondFactor('user-alice', { actor: 'support' });
    const res = await enrolSend(bed.app, attacker, ATTACKER);
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'reauthentication_required', message: expect.stringMatching(/sign in again/) });
    expect(bed.emulator.sent).toEqual([]);
    expect((await bed.records.find('user-alice')).phoneNumber).toBeNull();
    // Browsers go to the sign-in page.
    const page = await postForm(bed.app, '/2fa/enrol/send', attacker, { phoneNumber: ATTACKER });
    expect([page.status, page.headers.location]).toEqual([303, '/login']);
  });

  test('the owner signing in afresh enrols as before', async () => {
    await mfaOf(bed.app).resetSecondFactor('user-alice');
    await pause(5);
    const res = await enrolAfresh(bed.app, OWNER_NEW);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ enrolled: true });
    expect((await bed.records.find('user-alice')).phoneNumber).toBe(OWNER_NEW);
  });

  test('an enrolment code the older session already has a challenge for is refused too', async () => {
    // carol has no number; her older session sent a code to a number before the reset.
    const older = await login(bed.app, 'carol');
    expect((await enrolSend(bed.app, older, ATTACKER)).status).toBe(200);
    await mfaOf(bed.app).resetSecondFactor('user-carol');
    expect((await enrolVerify(bed.app, older, bed.emulator.lastCode(ATTACKER) as string)).body.error).toBe('reauthentication_required');
    expect((await bed.records.find('user-carol')).phoneNumber).toBeNull();
  });

  test('fail closed: an app whose getUser gives no sign-in time cannot enrol after a reset, even afresh', async () => {
    const app = bed.appWith({
      getUser: async (req: Request) => bed.records.find(`user-${(req.session as { username?: string }).username}`),
    });
    // Before any reset, enrolment works without it.
    expect((await enrolSend(app, await login(app, 'carol'), OWNER_NEW)).status).toBe(200);
    await mfaOf(bed.app).resetSecondFactor('user-alice');
    await pause(5);
    expect((await enrolSend(app, await login(app), OWNER_NEW)).body.error).toBe('reauthentication_required');
    // The operator is told why, once a minute.
    expect((await enrolSend(app, await login(app), OWNER_NEW)).body.error).toBe('reauthentication_required');
    expect(bed.logs.filter((line) => /gives no signedInAt/.test(line))).toHaveLength(1);
  });

  test('a sign-in time that is neither a Date nor ms refuses the request (500 not_configured)', async () => {
    const app = bed.appWith({ getUser: () => ({ id: 'user-carol', phoneNumber: null, signedInAt: 'yesterday' as unknown as number }) });
    const res = await enrolSend(app, await login(app, 'carol'), OWNER_NEW);
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('not_configured');
  });
});

describe('after the owner removed the number', () => {
  test("an older password-only session cannot enrol the attacker's number; a fresh sign-in can enrol", async () => {
    const attacker = await login(bed.app);
    // The owner, verified with a fresh code, removes the number.
    const owner = await login(bed.app);
    await send(bed.app, owner);
    const verified = sessionCookie((await verify(bed.app, owner, codeFor(bed.emulator))).headers);
    expect((await request(bed.app).post('/2fa/phone/remove').set(JSON_HEADERS).set('Cookie', verified).send({})).body).toEqual({
      removed: true,
    });

    expect((await enrolSend(bed.app, attacker, ATTACKER)).body.error).toBe('reauthentication_required');
    expect(bed.emulator.sent.map((s) => s.to)).not.toContain(ATTACKER);
    await pause(5);
    const res = await enrolAfresh(bed.app, OWNER_NEW);
    expect(res.status).toBe(200);
    expect((await bed.records.find('user-alice')).phoneNumber).toBe(OWNER_NEW);
  });
});
