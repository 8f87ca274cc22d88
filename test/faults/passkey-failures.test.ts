// A failing passkey hook or shared store never grants access, never takes the process down, and says nothing it should not.
import type { Express } from 'express';
import { redisStore } from '../../src';
import { sessionCookie } from '../helpers/create-app';
import { getAdmin, login, loginAndVerify } from '../helpers/flow';
import { faultyStore, type FaultyStore } from '../helpers/faulty-store';
import { passkeyRecords, ORIGIN, RP_ID, type PasskeyRecords } from '../helpers/passkey-records';
import { passkeyChallenge, passkeyVerify, postJson, registerPasskey } from '../helpers/passkey-flow';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('passkey-faults');
let records: PasskeyRecords;
let store: FaultyStore;
let app: Express;
let authenticator: SoftwareAuthenticator;
/** Hooks that fail from now on. */
let broken: Set<string>;

function failing<T extends (...args: never[]) => unknown>(name: string, hook: T): T {
  return ((...args: Parameters<T>) => {
    if (broken.has(name)) throw new Error(`database down, user ${String(args[0])}`);
    return hook(...args);
  }) as T;
}

beforeEach(async () => {
  broken = new Set();
  records = passkeyRecords();
  const { listPasskeys, savePasskey, updatePasskeyCounter, removePasskey } = records.options;
  store = faultyStore(redisStore(bed.redis, { prefix: `${bed.prefix}mfa:` }));
  app = bed.appWith({
    store,
    passkeys: {
      ...records.options,
      listPasskeys: failing('listPasskeys', listPasskeys),
      savePasskey: failing('savePasskey', savePasskey),
      updatePasskeyCounter: failing('updatePasskeyCounter', updatePasskeyCounter),
      removePasskey: failing('removePasskey', removePasskey),
    },
  });
  authenticator = new SoftwareAuthenticator(ORIGIN, RP_ID);
});

function expectRefused(res: { status: number; body: { error?: string }; headers: Record<string, unknown> }): void {
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('service_unavailable');
  expect(res.headers['set-cookie']).toBeUndefined();
}

describe('passkey hooks failing', () => {
  test('savePasskey throwing: 503, nothing bound, no passkey_added, the log names the hook and not the data', async () => {
    const verified = await loginAndVerify(app, bed.emulator);
    broken.add('savePasskey');
    const res = await registerPasskey(app, verified, authenticator);
    expect(res.status).toBe(503);
    expect(records.of('user-alice')).toEqual([]);
    expect(bed.events.some((event) => event.type === 'passkey_added')).toBe(false);
    expect(bed.logs).toContain(
      'express-bandwidth-mfa: passkeys.savePasskey failed (Error); the request was refused and nothing was changed by the library.',
    );
    expect(bed.logs.join('\n')).not.toContain('user-alice');
  });

  test('listPasskeys throwing: the options and the sign-in are 503s, and nothing is granted', async () => {
    await registerPasskey(app, await loginAndVerify(app, bed.emulator), authenticator);
    const cookie = await login(app);
    const options = await passkeyChallenge(app, cookie);
    broken.add('listPasskeys');
    expectRefused(await postJson(app, '/2fa/passkeys/auth/options', cookie, {}));
    expectRefused(await passkeyVerify(app, cookie, authenticator.assert(options)));
    expect((await getAdmin(app, cookie)).status).toBe(401);
  });

  test('updatePasskeyCounter throwing: 503 and the session is not verified (the counter must be recorded first)', async () => {
    await registerPasskey(app, await loginAndVerify(app, bed.emulator), authenticator);
    const cookie = await login(app);
    const options = await passkeyChallenge(app, cookie);
    broken.add('updatePasskeyCounter');
    expectRefused(await passkeyVerify(app, cookie, authenticator.assert(options)));
    expect((await getAdmin(app, cookie)).status).toBe(401);
    expect(bed.events.some((event) => event.type === 'passkey_used')).toBe(false);
  });

  test('a hook returning nonsense is refused as a configuration mistake', async () => {
    const nonsense = bed.appWith({
      passkeys: { ...records.options, listPasskeys: () => [{ credentialId: 'x y', publicKey: 1 }] as never },
    });
    const cookie = await login(nonsense);
    const res = await postJson(nonsense, '/2fa/passkeys/auth/options', cookie, {});
    expect(res.status).toBe(500);
    expect(res.body.error).toBe('not_configured');
  });
});

describe('the shared store failing', () => {
  test.each(['countAttempt', 'delete'] as const)('%s failing during a sign-in: 503, nothing granted', async (operation) => {
    await registerPasskey(app, await loginAndVerify(app, bed.emulator), authenticator);
    const cookie = await login(app);
    const options = await passkeyChallenge(app, cookie);
    store.failing.add(operation);
    expectRefused(await passkeyVerify(app, cookie, authenticator.assert(options)));
    expect((await getAdmin(app, cookie)).status).toBe(401);
    store.failing.delete(operation);
  });

  test('set failing when a ceremony starts: 503, no options handed out', async () => {
    await registerPasskey(app, await loginAndVerify(app, bed.emulator), authenticator);
    const cookie = await login(app);
    store.failing.add('set');
    expectRefused(await postJson(app, '/2fa/passkeys/auth/options', cookie, {}));
  });

  test('the store back: the same user signs in with the passkey', async () => {
    await registerPasskey(app, await loginAndVerify(app, bed.emulator), authenticator);
    const cookie = await login(app);
    const res = await passkeyVerify(app, cookie, authenticator.assert(await passkeyChallenge(app, cookie)));
    expect((await getAdmin(app, sessionCookie(res.headers))).status).toBe(200);
  });
});
