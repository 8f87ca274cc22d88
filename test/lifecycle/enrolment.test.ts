// Enrolment and number change: only a number that answered its own code is saved, and changing one needs a fresh factor.
import type { Express } from 'express';
import request from 'supertest';
import { sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, postForm, send, verify, wrongCode } from '../helpers/flow';
import { sessionKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('enrol', { lifecycle: true, mfa: { phoneNumbers: { defaultCountry: 'US' } } });

const CANDIDATE = '+12015550133';
const OTHER = '+12015550144';

function enrolSend(app: Express, cookie: string, body: object) {
  return request(app).post('/2fa/enrol/send').set(JSON_HEADERS).set('Cookie', cookie).send(body);
}

function enrolVerify(app: Express, cookie: string, body: object) {
  return request(app).post('/2fa/enrol/verify').set(JSON_HEADERS).set('Cookie', cookie).send(body);
}

const codeTo = (number: string) => bed.emulator.lastCode(number) as string;

/** carol has no number: signs in, enrols CANDIDATE; returns the verified session's cookie and the answer. */
async function enrolCarol(app: Express = bed.app, phoneNumber = '(201) 555-0133') {
  const cookie = await login(app, 'carol');
  expect((await enrolSend(app, cookie, { phoneNumber })).status).toBe(200);
  const res = await enrolVerify(app, cookie, { code: codeTo(CANDIDATE) });
  expect(res.status).toBe(200);
  return { cookie: sessionCookie(res.headers), res };
}

describe('a user with no number on record', () => {
  test('is sent to enrol by the guard (JSON 403 enrolment_required, browsers to the enrolment page)', async () => {
    const cookie = await login(bed.app, 'carol');
    expect((await getAdmin(bed.app, cookie)).body).toMatchObject({ error: 'enrolment_required' });
    const page = await request(bed.app).get('/admin').set('Accept', 'text/html').set('Cookie', cookie);
    expect(page.status).toBe(302);
    expect(page.headers.location).toBe('/2fa/enrol');
    expect((await send(bed.app, cookie)).body).toMatchObject({ error: 'enrolment_required' });
  });

  test('passes when enrolment is optional, and the policy may depend on the user', async () => {
    const optional = bed.appWith({ enrolment: { ...bed.records.enrolment, required: false } });
    expect((await getAdmin(optional, await login(optional, 'carol'))).status).toBe(200);
    const byUser = bed.appWith({ enrolment: { ...bed.records.enrolment, required: (_req, user) => user.id === 'user-dave' } });
    expect((await getAdmin(byUser, await login(byUser, 'carol'))).status).toBe(200);
    expect((await getAdmin(byUser, await login(byUser, 'dave'))).body.error).toBe('enrolment_required');
  });

  test('enrols a national number: saved in E.164 after its code, verified at once, recovery codes given once', async () => {
    const { cookie, res } = await enrolCarol();
    expect(res.body).toMatchObject({ verified: true, enrolled: true });
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect((await bed.records.find('user-carol')).phoneNumber).toBe(CANDIDATE);
    expect((await getAdmin(bed.app, cookie)).status).toBe(200);
    expect(bed.emulator.sent.map((s) => s.to)).toEqual([CANDIDATE]);
    expect(bed.events.find((e) => e.type === 'phone_enrolled')).toMatchObject({ userId: 'user-carol', maskedPhoneNumber: '+1******0133' });
    // The session id changed with the new factor.
    expect(cookie).not.toBe(await login(bed.app, 'carol'));
  });

  test('browsers are sent to the recovery-codes page, which shows the codes once', async () => {
    const cookie = await login(bed.app, 'carol');
    await postForm(bed.app, '/2fa/enrol/send', cookie, { phoneNumber: CANDIDATE });
    const res = await postForm(bed.app, '/2fa/enrol/verify', cookie, { code: codeTo(CANDIDATE) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/2fa/recovery-codes');
    const verified = sessionCookie(res.headers);
    const first = await request(bed.app).get('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', verified);
    expect(first.body.recoveryCodes).toHaveLength(10);
    const second = await request(bed.app).get('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', verified);
    expect(second.body.recoveryCodes).toBeNull();
  });
});

describe('numbers that are not valid', () => {
  test.each([
    ['digits too few', '12345'],
    ['a 555 area code', '+15555550100'],
    ['letters', 'call me maybe'],
    ['a number inside text', 'my number is +12015550133'],
    ['a number in an array', ['+12015550133']],
    ['too long', `+1${'2'.repeat(60)}`],
    ['missing', undefined],
  ])('%s: 400 invalid_phone_number with a sentence, no send, no cooldown', async (_label, phoneNumber) => {
    const cookie = await login(bed.app, 'carol');
    const res = await enrolSend(bed.app, cookie, { phoneNumber });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_phone_number', message: expect.stringMatching(/not valid/) });
    expect(bed.emulator.sent).toHaveLength(0);
    expect((await enrolSend(bed.app, cookie, { phoneNumber: CANDIDATE })).status).toBe(200);
  });
});

describe('destinations', () => {
  test('allowedCountries refuses other countries, for enrolment and for every send', async () => {
    const usOnly = bed.appWith({ phoneNumbers: { allowedCountries: ['US'] } });
    const carol = await login(usOnly, 'carol');
    expect((await enrolSend(usOnly, carol, { phoneNumber: '+33612345678' })).body).toMatchObject({ error: 'destination_not_allowed' });
    expect((await enrolSend(usOnly, carol, { phoneNumber: '+33612345678' })).status).toBe(403);
    await bed.records.setPhone('user-bob', '+33612345678');
    expect((await send(usOnly, await login(usOnly, 'bob'))).body).toMatchObject({ error: 'destination_not_allowed' });
    expect(bed.emulator.sent).toHaveLength(0);
  });

  test.each([
    ['false', async () => false, 403, 'destination_not_allowed'],
    ['something other than true', async () => 'yes' as unknown as boolean, 403, 'destination_not_allowed'],
    [
      'a throw',
      async () => {
        throw new Error('lookup service down');
      },
      503,
      'service_unavailable',
    ],
  ])('checkDestination answering %s refuses', async (_label, checkDestination, status, error) => {
    const app = bed.appWith({ phoneNumbers: { checkDestination } });
    const res = await enrolSend(app, await login(app, 'carol'), { phoneNumber: CANDIDATE });
    expect(res.status).toBe(status);
    expect(res.body.error).toBe(error);
    expect(bed.emulator.sent).toHaveLength(0);
  });

  test('checkDestination gets the E.164 number and the request', async () => {
    const seen: string[] = [];
    const app = bed.appWith({
      phoneNumbers: { defaultCountry: 'US', checkDestination: async (number, req) => (seen.push(`${number} ${req?.method}`), true) },
    });
    await enrolSend(app, await login(app, 'carol'), { phoneNumber: '201-555-0133' });
    expect(seen).toEqual([`${CANDIDATE} POST`]);
  });
});

describe("a candidate's code", () => {
  test('never saves another number than the one it went to, whatever the verify body says', async () => {
    const cookie = await login(bed.app, 'carol');
    await enrolSend(bed.app, cookie, { phoneNumber: CANDIDATE });
    expect((await enrolVerify(bed.app, cookie, { code: codeTo(CANDIDATE), phoneNumber: OTHER })).status).toBe(200);
    expect((await bed.records.find('user-carol')).phoneNumber).toBe(CANDIDATE);
  });

  test('a newer candidate replaces the older: the older code fails, the newer saves the newer number', async () => {
    const app = bed.appWith({ resendCooldownSeconds: 1 });
    const cookie = await login(app, 'carol');
    await enrolSend(app, cookie, { phoneNumber: CANDIDATE });
    const older = codeTo(CANDIDATE);
    await new Promise((r) => setTimeout(r, 1100));
    await enrolSend(app, cookie, { phoneNumber: OTHER });
    expect((await enrolVerify(app, cookie, { code: older })).body.error).toBe('invalid_code');
    expect((await enrolVerify(app, cookie, { code: codeTo(OTHER) })).status).toBe(200);
    expect((await bed.records.find('user-carol')).phoneNumber).toBe(OTHER);
  });

  test('and a login code are not interchangeable', async () => {
    const carol = await login(bed.app, 'carol');
    await enrolSend(bed.app, carol, { phoneNumber: CANDIDATE });
    expect((await verify(bed.app, carol, codeTo(CANDIDATE))).body.error).toBe('no_pending_challenge');
    const alice = await login(bed.app, 'alice');
    await send(bed.app, alice);
    expect((await enrolVerify(bed.app, alice, { code: codeFor(bed.emulator) })).body.error).toBe('no_pending_challenge');
  });

  test('counts in the same budget: wrong candidate codes lock the user, and a locked user cannot send to a candidate', async () => {
    const cookie = await login(bed.app, 'carol');
    await enrolSend(bed.app, cookie, { phoneNumber: CANDIDATE });
    for (let i = 0; i < 4; i += 1) expect((await enrolVerify(bed.app, cookie, { code: wrongCode(codeTo(CANDIDATE)) })).status).toBe(400);
    expect((await enrolVerify(bed.app, cookie, { code: wrongCode(codeTo(CANDIDATE)) })).status).toBe(429);
    expect((await enrolVerify(bed.app, cookie, { code: codeTo(CANDIDATE) })).body.error).toBe('locked_out');
    expect((await enrolSend(bed.app, cookie, { phoneNumber: OTHER })).body.error).toBe('locked_out');
    expect((await bed.records.find('user-carol')).phoneNumber).toBeNull();
  });

  test('when savePhoneNumber fails: 503, nothing saved, nothing consumed; the same code works once it is back', async () => {
    let failing = true;
    const app = bed.appWith({
      enrolment: {
        savePhoneNumber: async (userId, number) => {
          if (failing) throw new Error('db down');
          await bed.records.setPhone(userId, number);
        },
      },
    });
    const cookie = await login(app, 'carol');
    await enrolSend(app, cookie, { phoneNumber: CANDIDATE });
    const res = await enrolVerify(app, cookie, { code: codeTo(CANDIDATE) });
    expect(res.status).toBe(503);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await bed.records.find('user-carol')).phoneNumber).toBeNull();
    expect((await getAdmin(app, cookie)).body.error).toBe('enrolment_required');
    expect(bed.logs.some((line) => /enrolment\.savePhoneNumber failed \(Error\)/.test(line) && !/db down/.test(line))).toBe(true);
    failing = false;
    expect((await enrolVerify(app, cookie, { code: codeTo(CANDIDATE) })).status).toBe(200);
    expect((await bed.records.find('user-carol')).phoneNumber).toBe(CANDIDATE);
  });
});

describe('sends per destination number', () => {
  test("are capped across users and instances, and a refused send frees the user's cooldown", async () => {
    const [one, two] = [bed.appWith({ maxSendsPerNumberPerHour: 2 }), bed.appWith({ maxSendsPerNumberPerHour: 2 })];
    expect((await enrolSend(one, await login(one, 'carol'), { phoneNumber: CANDIDATE })).status).toBe(200);
    expect((await enrolSend(two, await login(two, 'dave'), { phoneNumber: CANDIDATE })).status).toBe(200);
    await bed.records.setPhone('user-bob', null);
    const bob = await login(two, 'bob');
    const refused = await enrolSend(two, bob, { phoneNumber: CANDIDATE });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('send_limit_reached');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
    expect(bed.emulator.sent).toHaveLength(2);
    expect((await enrolSend(one, bob, { phoneNumber: OTHER })).status).toBe(200);
  });
});

describe('changing or removing a number on record', () => {
  async function ageVerification(cookie: string, minutes: number): Promise<void> {
    const key = sessionKey(bed.prefix, cookie);
    const data = JSON.parse((await bed.redis.get(key)) as string);
    data.mfa.verified['2FA'].at -= minutes * 60_000;
    await bed.redis.set(key, JSON.stringify(data), 'KEEPTTL');
  }

  test('needs a second factor from the last five minutes: none, a trusted browser or an old one get 401 naming the scope', async () => {
    const cookie = await login(bed.app, 'alice');
    const res = await enrolSend(bed.app, cookie, { phoneNumber: CANDIDATE });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'second_factor_required', scope: '2FA', maxAgeSeconds: 300 });
    await send(bed.app, cookie);
    const verified = sessionCookie((await verify(bed.app, cookie, codeFor(bed.emulator))).headers);
    await ageVerification(verified, 6);
    expect((await enrolSend(bed.app, verified, { phoneNumber: CANDIDATE })).body.error).toBe('second_factor_required');
    expect((await request(bed.app).post('/2fa/phone/remove').set(JSON_HEADERS).set('Cookie', verified).send({})).body.error).toBe(
      'second_factor_required',
    );
    expect(bed.emulator.sent.map((s) => s.to)).not.toContain(CANDIDATE);
  });

  test('with a fresh code: the new number is saved, every trusted browser revoked, old and new masked in the event', async () => {
    const app = bed.appWith({ resendCooldownSeconds: 1 });
    const first = await login(app, 'alice');
    await send(app, first);
    const trusted = await verify(app, first, codeFor(bed.emulator), { rememberDevice: true });
    const trustCookie = ((trusted.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mfa_trusted=')) as string).split(
      ';',
    )[0] as string;
    const verified = sessionCookie(trusted.headers);
    await new Promise((r) => setTimeout(r, 1100));

    expect((await enrolSend(app, verified, { phoneNumber: CANDIDATE })).status).toBe(200);
    expect((await enrolVerify(app, verified, { code: codeTo(CANDIDATE) })).body).toMatchObject({ verified: true });
    expect((await bed.records.find('user-alice')).phoneNumber).toBe(CANDIDATE);
    expect(bed.events.find((e) => e.type === 'phone_changed')).toMatchObject({
      maskedPhoneNumber: '+1******0133',
      previousMaskedPhoneNumber: '+1******0101',
    });
    // No recovery codes on a change: the user's set stays as it was.
    expect(bed.events.filter((e) => e.type === 'recovery_codes_generated')).toHaveLength(0);
    expect(
      (
        await request(app)
          .get('/admin')
          .set(JSON_HEADERS)
          .set('Cookie', `${await login(app, 'alice')}; ${trustCookie}`)
      ).status,
    ).toBe(401);
  });

  test('removing the number: gone from the records, trusted browsers revoked, enrolment asked for next', async () => {
    const { cookie } = await enrolCarol();
    const res = await request(bed.app).post('/2fa/phone/remove').set(JSON_HEADERS).set('Cookie', cookie).send({});
    expect(res.body).toEqual({ removed: true });
    expect((await bed.records.find('user-carol')).phoneNumber).toBeNull();
    expect(bed.events.find((e) => e.type === 'phone_removed')).toMatchObject({ previousMaskedPhoneNumber: '+1******0133' });
    expect((await getAdmin(bed.app, cookie)).body.error).toBe('enrolment_required');
  });
});

describe('browsers sent back to the page of the form', () => {
  test('an enrolment refusal goes back to the enrolment page; a missing fresh factor to the challenge page', async () => {
    const carol = await login(bed.app, 'carol');
    const invalid = await postForm(bed.app, '/2fa/enrol/send', carol, { phoneNumber: '12345' });
    expect(invalid.status).toBe(303);
    expect(invalid.headers.location).toBe('/2fa/enrol?error=invalid_phone_number');
    const alice = await login(bed.app, 'alice');
    const notFresh = await postForm(bed.app, '/2fa/enrol/send', alice, { phoneNumber: CANDIDATE });
    expect(notFresh.headers.location).toBe('/2fa?error=second_factor_required');
  });

  test("a route's errorPath may carry a query: the error is added to it", async () => {
    const res = await postForm(bed.app, '/2fa/recovery', await login(bed.app), { recoveryCode: 'AAAA-BBBB-CCCC' });
    expect(res.headers.location).toBe('/2fa?form=recovery&error=invalid_code');
  });
});
