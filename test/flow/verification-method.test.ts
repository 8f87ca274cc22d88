// Every path that records a verification says how it was proven: sms, voice, recovery code, trusted browser, passkey.
import request from 'supertest';
import { mfaOf, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, loginAndVerify, send, verify } from '../helpers/flow';
import { passkeyRecords, ORIGIN, RP_ID } from '../helpers/passkey-records';
import { passkeyChallenge, passkeyVerify, registerPasskey } from '../helpers/passkey-flow';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { sessionKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('methods', { lifecycle: true });

/** The verification of the login scope as the session store holds it. */
async function loginVerification(cookie: string): Promise<Record<string, unknown>> {
  const raw = await bed.redis.get(sessionKey(bed.prefix, cookie));
  return (JSON.parse(raw as string) as { mfa: { verified: Record<string, Record<string, unknown>> } }).mfa.verified['2FA'] as Record<
    string,
    unknown
  >;
}

describe('the method of a verification', () => {
  test('an SMS code records sms, a voice code voice', async () => {
    expect(await loginVerification(await loginAndVerify(bed.app, bed.emulator))).toMatchObject({ userId: 'user-alice', method: 'sms' });
    const cookie = await login(bed.app, 'bob');
    await send(bed.app, cookie, { channel: 'voice' });
    const res = await verify(bed.app, cookie, codeFor(bed.emulator, 'bob'));
    expect(await loginVerification(sessionCookie(res.headers))).toMatchObject({ userId: 'user-bob', method: 'voice' });
  });

  test('a recovery code records recovery_code, and does not pass a phishing-resistant route', async () => {
    const [code] = await mfaOf(bed.app).generateRecoveryCodes('user-alice');
    const cookie = await login(bed.app);
    const res = await request(bed.app).post('/2fa/recovery').set(JSON_HEADERS).set('Cookie', cookie).send({ recoveryCode: code });
    const verified = sessionCookie(res.headers);
    expect(await loginVerification(verified)).toMatchObject({ method: 'recovery_code', recoveryCode: true });
    expect((await getAdmin(bed.app, verified)).status).toBe(200);
    expect((await request(bed.app).get('/admin/keys').set(JSON_HEADERS).set('Cookie', verified)).status).toBe(401);
  });

  test('a trusted browser records trusted_device, and does not pass a phishing-resistant route', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const first = await verify(bed.app, cookie, codeFor(bed.emulator), { rememberDevice: true });
    const trust = (first.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('mfa_trusted='))?.split(';')[0] as string;
    const next = await login(bed.app);
    const admin = await getAdmin(bed.app, `${next}; ${trust}`);
    expect(admin.status).toBe(200);
    const trusted = sessionCookie(admin.headers);
    expect(await loginVerification(trusted)).toMatchObject({ method: 'trusted_device', trustedDevice: true, at: 0 });
    expect((await request(bed.app).get('/admin/keys').set(JSON_HEADERS).set('Cookie', `${trusted}; ${trust}`)).status).toBe(401);
  });

  test('a passkey records passkey', async () => {
    const records = passkeyRecords();
    const app = bed.appWith({ passkeys: records.options });
    const authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
    await registerPasskey(app, await loginAndVerify(app, bed.emulator), authenticator);
    const cookie = await login(app);
    const res = await passkeyVerify(app, cookie, authenticator.assert(await passkeyChallenge(app, cookie)));
    expect(await loginVerification(sessionCookie(res.headers))).toMatchObject({ userId: 'user-alice', method: 'passkey' });
  });

  test('a number enrolled with a code records the channel it went by', async () => {
    const cookie = await login(bed.app, 'carol');
    await request(bed.app)
      .post('/2fa/enrol/send')
      .set(JSON_HEADERS)
      .set('Cookie', cookie)
      .send({ phoneNumber: '+12015550123', channel: 'sms' });
    const code = bed.emulator.lastCode('+12015550123') as string;
    const res = await request(bed.app).post('/2fa/enrol/verify').set(JSON_HEADERS).set('Cookie', cookie).send({ code });
    expect(res.status).toBe(200);
    expect(await loginVerification(sessionCookie(res.headers))).toMatchObject({ userId: 'user-carol', method: 'sms' });
  });
});
