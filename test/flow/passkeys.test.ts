// Passkeys as a second factor in the same guard: binding one, signing in, phishing-resistant routes, removal, the last factor.
import request from 'supertest';
import { sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, getAdmin, login, loginAndVerify } from '../helpers/flow';
import { passkeyRecords, ORIGIN, RP_ID, type PasskeyRecords } from '../helpers/passkey-records';
import { passkeyChallenge, passkeyVerify, postJson, registerPasskey } from '../helpers/passkey-flow';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { useTestBed } from '../helpers/test-bed';
import type { MfaEvent } from '../../src';

const bed = useTestBed('passkeys', { lifecycle: true });

let records: PasskeyRecords;
let authenticator: SoftwareAuthenticator;

beforeEach(() => {
  records = passkeyRecords();
  authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
});

const app = () => bed.appWith({ passkeys: records.options });

async function passkeySignIn(target = app()): Promise<string> {
  const cookie = await login(target);
  const res = await passkeyVerify(target, cookie, authenticator.assert(await passkeyChallenge(target, cookie)));
  if (res.status !== 200) throw new Error(`passkey sign-in failed with ${res.status} ${JSON.stringify(res.body)}`);
  return sessionCookie(res.headers);
}

describe('binding a passkey', () => {
  test('needs a second factor of this session first, and stores what the app must keep', async () => {
    const target = app();
    const unverified = await login(target);
    const refused = await postJson(target, '/2fa/passkeys/register/options', unverified, {});
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('second_factor_required');

    const verified = await loginAndVerify(target, bed.emulator);
    const added = await registerPasskey(target, verified, authenticator, 'Work laptop');
    expect(added.status).toBe(200);
    expect(added.body).toMatchObject({ added: true, passkey: { credentialId: authenticator.id, name: 'Work laptop' } });
    const [stored] = records.of('user-alice');
    expect(stored).toMatchObject({
      credentialId: authenticator.id,
      counter: 0,
      transports: ['internal'],
      name: 'Work laptop',
      lastUsedAt: null,
    });
    expect(stored?.publicKey).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(stored?.createdAt).toBeInstanceOf(Date);
    expect(bed.events.find((event) => event.type === 'passkey_added')).toMatchObject({
      userId: 'user-alice',
      credentialId: authenticator.id,
      passkeyName: 'Work laptop',
    });
    // Binding revokes nothing: the session that did it still opens the admin page.
    expect((await getAdmin(target, verified)).status).toBe(200);
  });

  test('the same authenticator is excluded and refused a second time; a registration challenge never signs in', async () => {
    const target = app();
    const verified = await loginAndVerify(target, bed.emulator);
    expect((await registerPasskey(target, verified, authenticator)).status).toBe(200);
    const options = await postJson(target, '/2fa/passkeys/register/options', verified, {});
    expect(options.body.excludeCredentials).toEqual([{ id: authenticator.id, type: 'public-key', transports: ['internal'] }]);
    const again = await postJson(target, '/2fa/passkeys/register/verify', verified, { response: authenticator.register(options.body) });
    expect(again.status).toBe(400);
    expect(again.body.error).toBe('invalid_passkey');
    expect(records.of('user-alice')).toHaveLength(1);

    const cookie = await login(target);
    const registration = await postJson(target, '/2fa/passkeys/register/options', verified, {});
    const res = await passkeyVerify(target, cookie, authenticator.assert(registration.body));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('no_pending_challenge');
  });

  test('an attestation from another origin binds nothing', async () => {
    const target = app();
    const verified = await loginAndVerify(target, bed.emulator);
    const options = await postJson(target, '/2fa/passkeys/register/options', verified, {});
    const res = await postJson(target, '/2fa/passkeys/register/verify', verified, {
      response: authenticator.register(options.body, { origin: 'https://evil.example' }),
    });
    expect(res.status).toBe(400);
    expect(records.of('user-alice')).toHaveLength(0);
    expect(bed.events.find((event) => event.type === 'passkey_rejected')?.reason).toBe('wrong_origin');
  });
});

describe('signing in with a passkey', () => {
  test('opens the guarded page, records the method, and updates the counter and last use', async () => {
    const target = app();
    await registerPasskey(target, await loginAndVerify(target, bed.emulator), authenticator);
    const cookie = await passkeySignIn(target);
    expect((await getAdmin(target, cookie)).status).toBe(200);
    expect(records.of('user-alice')[0]).toMatchObject({ counter: 1 });
    expect(records.of('user-alice')[0]?.lastUsedAt).toBeInstanceOf(Date);
    expect(bed.events.find((event) => event.type === 'passkey_used')).toMatchObject({
      userId: 'user-alice',
      credentialId: authenticator.id,
      scope: '2FA',
    });
  });

  test('a phishing-resistant route refuses an SMS verification and accepts the passkey', async () => {
    const target = app();
    const sms = await loginAndVerify(target, bed.emulator);
    await registerPasskey(target, sms, authenticator);
    expect((await getAdmin(target, sms)).status).toBe(200);
    const refused = await request(target).get('/admin/keys').set(JSON_HEADERS).set('Cookie', sms);
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({
      error: 'second_factor_required',
      methods: ['passkey'],
      message: 'This action needs a passkey: a code sent to your phone is not enough.',
    });
    const state = await request(target).get('/2fa/state').set(JSON_HEADERS).set('Cookie', sms);
    expect(state.body).toMatchObject({ methods: ['passkey'], passkeys: 1 });

    // Step-up in the same session: the passkey's verification replaces the code's.
    const res = await passkeyVerify(target, sms, authenticator.assert(await passkeyChallenge(target, sms)));
    expect(res.status).toBe(200);
    const upgraded = sessionCookie(res.headers);
    expect((await request(target).get('/admin/keys').set(JSON_HEADERS).set('Cookie', upgraded)).status).toBe(200);
  });

  test('step-up scopes apply to passkeys: a login passkey does not confirm a transfer, a transfer-scoped one does', async () => {
    const target = app();
    await registerPasskey(target, await loginAndVerify(target, bed.emulator), authenticator);
    const cookie = await passkeySignIn(target);
    const transfer = () => request(target).post('/admin/transfer').set(JSON_HEADERS).set('Cookie', cookie).send({});
    expect((await transfer()).body).toMatchObject({ error: 'second_factor_required', scope: 'transfer' });
    const options = await postJson(target, '/2fa/passkeys/auth/options', cookie, {});
    const res = await passkeyVerify(target, cookie, authenticator.assert(options.body));
    expect(res.status).toBe(200);
    const after = await request(target).post('/admin/transfer').set(JSON_HEADERS).set('Cookie', sessionCookie(res.headers)).send({});
    expect(after.status).toBe(200);
  });

  test('a user without a passkey gets a 404 for the options, and no ceremony starts', async () => {
    const target = app();
    const cookie = await login(target);
    const res = await postJson(target, '/2fa/passkeys/auth/options', cookie, {});
    expect(res.status).toBe(404);
    expect(res.body.error).toBe('passkey_not_found');
  });
});

describe('removing a passkey, and the last factor', () => {
  test('binding and removing a passkey are notices for the owner, with the address and browser', async () => {
    const notices: MfaEvent[] = [];
    const target = bed.appWith({ passkeys: records.options, notify: (event) => void notices.push(event) });
    const verified = await loginAndVerify(target, bed.emulator);
    await registerPasskey(target, verified, authenticator, 'Work laptop');
    await registerPasskey(target, verified, new SoftwareAuthenticator(ORIGIN, RP_ID), 'Phone');
    expect((await postJson(target, '/2fa/passkeys/remove', verified, { credentialId: authenticator.id })).status).toBe(200);
    expect(notices.map((n) => [n.type, n.passkeyName])).toEqual([
      ['passkey_added', 'Work laptop'],
      ['passkey_added', 'Phone'],
      ['passkey_removed', 'Work laptop'],
    ]);
    for (const notice of notices)
      expect(notice).toMatchObject({ userId: 'user-alice', ip: expect.stringMatching(/127\.0\.0\.1$/), at: expect.any(Date) });
  });

  test('needs a fresh second factor, removes that one only, and is audited', async () => {
    const target = app();
    const verified = await loginAndVerify(target, bed.emulator);
    await registerPasskey(target, verified, authenticator);
    const other = new SoftwareAuthenticator(ORIGIN, RP_ID);
    await registerPasskey(target, verified, other, 'Phone');
    const unverified = await login(target);
    expect((await postJson(target, '/2fa/passkeys/remove', unverified, { credentialId: authenticator.id })).status).toBe(401);
    expect((await postJson(target, '/2fa/passkeys/remove', verified, { credentialId: 'AAAA' })).status).toBe(404);
    expect((await postJson(target, '/2fa/passkeys/remove', verified, { credentialId: '../x' })).status).toBe(400);
    const res = await postJson(target, '/2fa/passkeys/remove', verified, { credentialId: authenticator.id });
    expect(res.status).toBe(200);
    expect(records.of('user-alice').map((p) => p.name)).toEqual(['Phone']);
    expect(bed.events.find((event) => event.type === 'passkey_removed')).toMatchObject({
      credentialId: authenticator.id,
      passkeyName: 'Test laptop',
    });
    expect((await getAdmin(target, verified)).status).toBe(200);
  });

  test('a number is the last factor of a user without a passkey; with one, the passkey is the last factor', async () => {
    const target = app();
    const verified = await loginAndVerify(target, bed.emulator);
    const removeNumber = () => postJson(target, '/2fa/phone/remove', verified, {});
    const noPasskey = await removeNumber();
    expect(noPasskey.status).toBe(409);
    expect(noPasskey.body.error).toBe('last_factor');
    expect((await bed.records.find('user-alice')).phoneNumber).not.toBeNull();

    await registerPasskey(target, verified, authenticator);
    expect((await removeNumber()).status).toBe(200);
    expect((await bed.records.find('user-alice')).phoneNumber).toBeNull();
    const last = await postJson(target, '/2fa/passkeys/remove', verified, { credentialId: authenticator.id });
    expect(last.status).toBe(409);
    expect(last.body.error).toBe('last_factor');
    expect(records.of('user-alice')).toHaveLength(1);
  });

  test('a user whose only factor is a passkey is challenged, not sent to enrol, and gets in with it', async () => {
    const target = app();
    const verified = await loginAndVerify(target, bed.emulator);
    await registerPasskey(target, verified, authenticator);
    await postJson(target, '/2fa/phone/remove', verified, {});
    const cookie = await login(target);
    const refused = await getAdmin(target, cookie);
    expect(refused.status).toBe(401);
    expect(refused.body.error).toBe('second_factor_required');
    expect((await getAdmin(target, await passkeySignIn(target))).status).toBe(200);
  });

  test('with allowRemovingLastFactor the policy lets the last one go', async () => {
    records = passkeyRecords({ allowRemovingLastFactor: true });
    const target = app();
    const verified = await loginAndVerify(target, bed.emulator);
    expect((await postJson(target, '/2fa/phone/remove', verified, {})).status).toBe(200);
  });
});
