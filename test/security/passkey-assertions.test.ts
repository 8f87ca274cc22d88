// Forged, replayed and cloned passkey assertions: each a clear 4xx, counted where a person could be guessing, granting nothing.
import { sessionCookie } from '../helpers/create-app';
import { getAdmin, login, loginAndVerify } from '../helpers/flow';
import { passkeyRecords, ORIGIN, RP_ID, type PasskeyRecords } from '../helpers/passkey-records';
import { passkeyChallenge, passkeyVerify, postJson, registerPasskey } from '../helpers/passkey-flow';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { sessionKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('passkey-attacks');

let records: PasskeyRecords;
let authenticator: SoftwareAuthenticator;

/** alice with one registered passkey, and an app that knows it; returns a signed-in, not yet verified session. */
async function aliceWithPasskey(extra = {}) {
  records = passkeyRecords();
  const app = bed.appWith({ passkeys: records.options, ...extra });
  authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
  const verified = await loginAndVerify(app, bed.emulator);
  const added = await registerPasskey(app, verified, authenticator);
  expect(added.status).toBe(200);
  return { app, cookie: await login(app) };
}

const rejections = () => bed.events.filter((event) => event.type === 'passkey_rejected').map((event) => event.reason);

describe('a passkey assertion that must not pass', () => {
  test('the right assertion signs in once; replayed in a restored session it is refused and counted', async () => {
    const { app, cookie } = await aliceWithPasskey();
    const options = await passkeyChallenge(app, cookie);
    const saved = await bed.redis.get(sessionKey(bed.prefix, cookie));
    const assertion = authenticator.assert(options);
    const first = await passkeyVerify(app, cookie, assertion);
    expect(first.status).toBe(200);
    expect((await getAdmin(app, sessionCookie(first.headers))).status).toBe(200);
    // The session as it was before the verification (a backup, a racing write): its challenge is spent.
    await bed.redis.set(sessionKey(bed.prefix, cookie), saved as string, 'EX', 600);
    const replay = await passkeyVerify(app, cookie, assertion);
    expect(replay.status).toBe(400);
    expect(replay.body).toMatchObject({ error: 'invalid_passkey', attemptsRemaining: 4 });
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect((await getAdmin(app, cookie)).status).toBe(401);
    expect(rejections()).toEqual(['challenge_used']);
  });

  test('an assertion over the challenge of another session is refused and counted', async () => {
    const { app, cookie: victim } = await aliceWithPasskey();
    const phished = authenticator.assert(await passkeyChallenge(app, victim));
    const attacker = await login(app);
    await passkeyChallenge(app, attacker);
    const res = await passkeyVerify(app, attacker, phished);
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_passkey', attemptsRemaining: 4 });
    expect((await getAdmin(app, attacker)).status).toBe(401);
    expect(rejections()).toEqual(['wrong_challenge']);
  });

  test.each([
    ['a wrong origin', { origin: 'https://login.example.net' }, 'wrong_origin'],
    ['a wrong RP ID', { rpId: 'example.net' }, 'wrong_rp_id'],
    ['no user verification', { userVerified: false }, 'user_not_verified'],
  ])('%s is refused and counted', async (_what, overrides, reason) => {
    const { app, cookie } = await aliceWithPasskey();
    const res = await passkeyVerify(app, cookie, authenticator.assert(await passkeyChallenge(app, cookie), overrides));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_passkey', attemptsRemaining: 4 });
    expect((await getAdmin(app, cookie)).status).toBe(401);
    expect(rejections()).toEqual([reason]);
  });

  test('a signature counter that goes backwards (a cloned key) is refused, counted and reported', async () => {
    const { app, cookie } = await aliceWithPasskey();
    expect((await passkeyVerify(app, cookie, authenticator.assert(await passkeyChallenge(app, cookie)))).status).toBe(200);
    expect(records.of('user-alice')[0]?.counter).toBe(1);
    const clone = await login(app);
    const res = await passkeyVerify(app, clone, authenticator.assert(await passkeyChallenge(app, clone), { counter: 1 }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_passkey', attemptsRemaining: 4 });
    expect((await getAdmin(app, clone)).status).toBe(401);
    expect(rejections()).toEqual(['counter_went_backwards']);
    expect(bed.events.find((event) => event.type === 'passkey_rejected')?.credentialId).toBe(authenticator.id);
    expect(bed.logs.some((line) => /cloned authenticator/.test(line))).toBe(true);
    expect(records.of('user-alice')[0]?.counter).toBe(1);
  });

  test('an unknown credential id is refused and counted', async () => {
    const { app, cookie } = await aliceWithPasskey();
    const stranger = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const res = await passkeyVerify(app, cookie, stranger.assert(await passkeyChallenge(app, cookie)));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_passkey', attemptsRemaining: 4 });
    expect((await getAdmin(app, cookie)).status).toBe(401);
    expect(rejections()).toEqual(['unknown_credential']);
  });

  test('a signature made by another key over the right data is refused and counted', async () => {
    const { app, cookie } = await aliceWithPasskey();
    const forger = new SoftwareAuthenticator(ORIGIN, RP_ID);
    const res = await passkeyVerify(app, cookie, forger.assert(await passkeyChallenge(app, cookie), { credentialId: authenticator.id }));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'invalid_passkey', attemptsRemaining: 4 });
    expect(rejections()).toEqual(['bad_signature']);
  });

  test.each([
    ['no body', undefined],
    ['no response', {}],
    ['a string', { response: 'yes' }],
    ['rawId unlike id', { response: { id: 'AAAA', rawId: 'BBBB', type: 'public-key', response: {} } }],
    [
      'fields that are not base64url',
      {
        response: {
          id: 'AAAA',
          rawId: 'AAAA',
          type: 'public-key',
          response: { clientDataJSON: '{}', authenticatorData: 'x', signature: 'y' },
        },
      },
    ],
    [
      'a wrong type',
      {
        response: {
          id: 'AAAA',
          rawId: 'AAAA',
          type: 'password',
          response: { clientDataJSON: 'a', authenticatorData: 'b', signature: 'c' },
        },
      },
    ],
  ])('a malformed body (%s) is a 400 that counts nothing and keeps the challenge', async (_what, body) => {
    const { app, cookie } = await aliceWithPasskey();
    const options = await passkeyChallenge(app, cookie);
    const res = await postJson(app, '/2fa/passkeys/auth/verify', cookie, body);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(res.body.message).toBe('The request could not be read.');
    expect((await getAdmin(app, cookie)).status).toBe(401);
    // Nothing spent: the ceremony still works, with the whole budget.
    expect((await passkeyVerify(app, cookie, authenticator.assert(options))).status).toBe(200);
    expect(rejections()).toEqual([]);
  });

  test('two verifications of one challenge racing: exactly one succeeds', async () => {
    const { app, cookie } = await aliceWithPasskey();
    const assertion = authenticator.assert(await passkeyChallenge(app, cookie));
    const [a, b] = await Promise.all([passkeyVerify(app, cookie, assertion), passkeyVerify(app, cookie, assertion)]);
    expect([a.status, b.status].sort()).toEqual([200, 400]);
    expect(bed.events.filter((event) => event.type === 'passkey_used')).toHaveLength(1);
  });

  test('six verifications of one challenge racing: exactly one succeeds', async () => {
    const { app, cookie } = await aliceWithPasskey();
    const assertion = authenticator.assert(await passkeyChallenge(app, cookie));
    const answers = await Promise.all(Array.from({ length: 6 }, () => passkeyVerify(app, cookie, assertion)));
    expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
    // The others are counted failures like any replay: 400, then a lockout once the budget is spent.
    expect(answers.filter((res) => res.status === 400 || res.status === 429)).toHaveLength(5);
    expect(bed.events.filter((event) => event.type === 'passkey_used')).toHaveLength(1);
  });

  test('a locked-out user cannot get in with a passkey, nor start a ceremony', async () => {
    const { app, cookie } = await aliceWithPasskey({ maxAttempts: 2 });
    const stranger = new SoftwareAuthenticator(ORIGIN, RP_ID);
    expect((await passkeyVerify(app, cookie, stranger.assert(await passkeyChallenge(app, cookie)))).status).toBe(400);
    const locked = await passkeyVerify(app, cookie, stranger.assert(await passkeyChallenge(app, cookie)));
    expect(locked.status).toBe(429);
    expect(locked.body.error).toBe('locked_out');
    const options = await postJson(app, '/2fa/passkeys/auth/options', cookie, {});
    expect(options.status).toBe(429);
    // Even the right passkey, in a session that holds a challenge from before the lockout.
    const other = await login(app);
    const res = await passkeyVerify(app, other, authenticator.assert({ challenge: 'AAAA' }));
    expect([400, 429]).toContain(res.status);
    expect((await getAdmin(app, other)).status).toBe(401);
    expect(bed.events.some((event) => event.type === 'locked_out')).toBe(true);
  });
});
