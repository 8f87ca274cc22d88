// The example app's account storage, on SQLite and on PostgreSQL alike: users, passwords, numbers, recovery codes.
import { ENGINES, type TestDatabase } from './helpers/databases';
import type { Kysely } from 'kysely';
import { TEST_PASSWORD_COST, captureLogs, openAccounts, type Accounts } from './helpers/example-app';

interface ConnectModule {
  connect(url: string, logger: unknown): { db: Kysely<{ users: { username: string; password_hash: string } }> };
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { connect } = require('../../example-app/lib/db/connect') as ConnectModule;

describe.each(ENGINES)('account storage on %s', (_engine, createDatabase) => {
  let database: TestDatabase;
  const opened: Accounts[] = [];
  // Cheap password hashes, but for the one test that checks the stored format of the real settings.
  const open = async (logger = captureLogs().logger, cost: 'test' | 'real' = 'test') => {
    const accounts = await openAccounts(database.url, { logger, passwordCost: cost === 'test' ? TEST_PASSWORD_COST : undefined });
    opened.push(accounts);
    return accounts;
  };

  beforeEach(async () => {
    database = await createDatabase();
  });
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((accounts) => accounts.close()));
    await database.drop();
  });

  test('migrations create the schema on an empty database, and a second start applies nothing again', async () => {
    const first = captureLogs();
    const accounts = await open(first.logger);
    expect(accounts.engine).toBe(database.engine);
    expect(first.logs.join('\n')).toMatch(/applied 0001_users_and_recovery_codes/);
    await accounts.createUser({ username: 'alice', password: 'alice-password' });
    await accounts.close();
    opened.splice(opened.indexOf(accounts), 1);

    const second = captureLogs();
    const again = await open(second.logger);
    expect(second.logs.join('\n')).not.toMatch(/applied/);
    expect(await again.findByUsername('alice')).toMatchObject({ username: 'alice' });
  });

  test('two instances starting at once on an empty database both come up, the schema made once', async () => {
    const [one, two] = await Promise.all([open(), open()]);
    await one.createUser({ username: 'bob', password: 'bob-password' });
    expect(await two.findByUsername('bob')).toMatchObject({ username: 'bob' });
  });

  test('a created user is found by id and name, with a string id, no number yet and a creation time', async () => {
    const accounts = await open();
    const before = Date.now();
    const user = await accounts.createUser({ username: 'carol', password: 'carol-password' });
    expect(user.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(user.phoneNumber).toBeNull();
    expect(user.createdAt.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(await accounts.findById(user.id)).toEqual(user);
    expect(await accounts.findByUsername('carol')).toEqual(user);
    expect(await accounts.findById('no-such-id')).toBeUndefined();
    expect(await accounts.findByUsername('nobody')).toBeUndefined();
  });

  test('the password checks out; a wrong one, an unknown user or a non-string do not', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'dave', password: 'dave-password' });
    expect(await accounts.checkPassword('dave', 'dave-password')).toEqual(user);
    expect(await accounts.checkPassword('dave', 'dave-passwore')).toBeNull();
    expect(await accounts.checkPassword('dave', '')).toBeNull();
    expect(await accounts.checkPassword('nobody', 'dave-password')).toBeNull();
    expect(await accounts.checkPassword(['dave'], 'dave-password')).toBeNull();
    expect(await accounts.checkPassword('dave', 'x'.repeat(2000))).toBeNull();
  });

  test('the password is stored as one scrypt string of the real settings, never in clear', async () => {
    const accounts = await open(captureLogs().logger, 'real');
    await accounts.createUser({ username: 'erin', password: 'erin-password' });
    // A second connection of its own, to read the row as it is stored.
    const raw = connect(database.url, captureLogs().logger).db;
    try {
      const row = await raw.selectFrom('users').select('password_hash').where('username', '=', 'erin').executeTakeFirstOrThrow();
      expect(row.password_hash).toMatch(/^\$scrypt\$ln=15,r=8,p=3\$[A-Za-z0-9+/]{22}\$[A-Za-z0-9+/]{43}$/);
      expect(row.password_hash).not.toContain('erin-password');
      expect(await accounts.checkPassword('erin', 'erin-password')).toMatchObject({ username: 'erin' });
      expect(await accounts.checkPassword('erin', 'erin-passwore')).toBeNull();
    } finally {
      await raw.destroy();
    }
  });

  test('a taken username is refused with a sentence for the field, whatever its letter case', async () => {
    const accounts = await open();
    await accounts.createUser({ username: 'frank', password: 'frank-password' });
    for (const username of ['frank', 'Frank', 'FRANK']) {
      await expect(accounts.createUser({ username, password: 'other-password' })).rejects.toMatchObject({
        code: 'username_taken',
        field: 'username',
        message: 'That username is taken. Choose another one.',
      });
    }
    expect(await accounts.checkPassword('frank', 'frank-password')).not.toBeNull();
  });

  test('two sign-ups racing for one name: exactly one wins', async () => {
    const accounts = await open();
    const results = await Promise.allSettled(
      Array.from({ length: 5 }, () => accounts.createUser({ username: 'grace', password: 'grace-password' })),
    );
    expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
    expect(results.filter((result) => result.status === 'rejected').map((result) => (result as PromiseRejectedResult).reason.code)).toEqual(
      ['username_taken', 'username_taken', 'username_taken', 'username_taken'],
    );
  });

  test('bad usernames and passwords are refused before anything is stored', async () => {
    const accounts = await open();
    await expect(accounts.createUser({ username: 'has space', password: 'long-enough' })).rejects.toMatchObject({
      code: 'invalid_username',
      field: 'username',
    });
    await expect(accounts.createUser({ username: '', password: 'long-enough' })).rejects.toMatchObject({ code: 'invalid_username' });
    await expect(accounts.createUser({ username: 'heidi', password: 'short' })).rejects.toMatchObject({
      code: 'invalid_password',
      field: 'password',
    });
    await expect(accounts.createUser({ username: 'heidi', password: 'x'.repeat(1025) })).rejects.toMatchObject({
      code: 'invalid_password',
    });
    expect(await accounts.findByUsername('heidi')).toBeUndefined();
  });

  test('a phone number is set, replaced and cleared; an invalid one is refused without being repeated', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'ivan', password: 'ivan-password' });
    await accounts.setPhoneNumber(user.id, '+12015550123');
    expect((await accounts.findById(user.id))?.phoneNumber).toBe('+12015550123');
    await accounts.setPhoneNumber(user.id, '+12025550188');
    expect((await accounts.findById(user.id))?.phoneNumber).toBe('+12025550188');
    await accounts.setPhoneNumber(user.id, null);
    expect((await accounts.findById(user.id))?.phoneNumber).toBeNull();

    for (const invalid of ['+15555550100', '2015550177', '+1 201 555 0177', '']) {
      const refusal = accounts.setPhoneNumber(user.id, invalid);
      await expect(refusal).rejects.toThrow(TypeError);
      if (invalid) await expect(refusal).rejects.not.toThrow(invalid);
    }
    expect((await accounts.findById(user.id))?.phoneNumber).toBeNull();
    await expect(accounts.setPhoneNumber('no-such-id', '+12015550123')).rejects.toThrow('There is no user with that id.');
  });

  test('replacing recovery codes removes every old one in the same step', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'judy', password: 'judy-password' });
    await accounts.replaceRecoveryCodes(user.id, ['old-1', 'old-2', 'old-3']);
    expect(await accounts.countRecoveryCodes(user.id)).toBe(3);
    await accounts.replaceRecoveryCodes(user.id, ['new-1', 'new-2']);
    expect(await accounts.countRecoveryCodes(user.id)).toBe(2);
    expect(await accounts.consumeRecoveryCode(user.id, 'old-1')).toBe(false);
    expect(await accounts.consumeRecoveryCode(user.id, 'new-1')).toBe(true);
    await accounts.replaceRecoveryCodes(user.id, []);
    expect(await accounts.countRecoveryCodes(user.id)).toBe(0);
  });

  test('a failed replacement keeps the old codes (one transaction)', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'kim', password: 'kim-password' });
    await accounts.replaceRecoveryCodes(user.id, ['old-1', 'old-2']);
    await expect(accounts.replaceRecoveryCodes(user.id, ['new-1', 'new-1'])).rejects.toThrow(TypeError);
    await expect(accounts.replaceRecoveryCodes(user.id, ['new-1', 'x'.repeat(600)])).rejects.toThrow(TypeError);
    await expect(accounts.replaceRecoveryCodes('no-such-id', ['new-1'])).rejects.toThrow('There is no user with that id.');
    expect(await accounts.countRecoveryCodes(user.id)).toBe(2);
    expect(await accounts.consumeRecoveryCode(user.id, 'old-2')).toBe(true);
  });

  test('two replacements at once leave one set, never a mix of both', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'lee', password: 'lee-password' });
    const sets = Array.from({ length: 4 }, (_, i) => Array.from({ length: 10 }, (_, j) => `set-${i}-code-${j}`));
    await Promise.all(sets.map((set) => accounts.replaceRecoveryCodes(user.id, set)));
    expect(await accounts.countRecoveryCodes(user.id)).toBe(10);
  });

  test('a recovery code is spent once: of 10 parallel attempts exactly one succeeds', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'mallory', password: 'mallory-password' });
    await accounts.replaceRecoveryCodes(user.id, ['code-a', 'code-b']);
    const results = await Promise.all(Array.from({ length: 10 }, () => accounts.consumeRecoveryCode(user.id, 'code-a')));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await accounts.countRecoveryCodes(user.id)).toBe(1);
    expect(await accounts.consumeRecoveryCode(user.id, 'code-a')).toBe(false);
  });

  test('a code belongs to its user: another user cannot spend it, and unknown hashes spend nothing', async () => {
    const accounts = await open();
    const owner = await accounts.createUser({ username: 'niaj', password: 'niaj-password' });
    const other = await accounts.createUser({ username: 'olivia', password: 'olivia-password' });
    await accounts.replaceRecoveryCodes(owner.id, ['shared-looking']);
    await accounts.replaceRecoveryCodes(other.id, ['other-code']);
    expect(await accounts.consumeRecoveryCode(other.id, 'shared-looking')).toBe(false);
    expect(await accounts.consumeRecoveryCode(owner.id, 'nope')).toBe(false);
    expect(await accounts.consumeRecoveryCode(owner.id, '')).toBe(false);
    expect(await accounts.countRecoveryCodes(owner.id)).toBe(1);
    expect(await accounts.countRecoveryCodes(other.id)).toBe(1);
    expect(await accounts.countRecoveryCodes('no-such-id')).toBe(0);
  });

  test('deleting a user takes their recovery codes along', async () => {
    const accounts = await open();
    const user = await accounts.createUser({ username: 'peggy', password: 'peggy-password' });
    await accounts.replaceRecoveryCodes(user.id, ['p-1', 'p-2']);
    expect(await accounts.deleteUser(user.id)).toBe(true);
    expect(await accounts.countRecoveryCodes(user.id)).toBe(0);
    expect(await accounts.deleteUser(user.id)).toBe(false);
    // The name is free again.
    await expect(accounts.createUser({ username: 'peggy', password: 'peggy-password' })).resolves.toMatchObject({ username: 'peggy' });
  });

  test('after a restart the same user, number and codes are there', async () => {
    const first = await open();
    const user = await first.createUser({ username: 'rupert', password: 'rupert-password' });
    await first.setPhoneNumber(user.id, '+12015550142');
    await first.replaceRecoveryCodes(user.id, ['r-1', 'r-2', 'r-3']);
    await first.close();
    opened.splice(opened.indexOf(first), 1);

    const reopened = await open();
    expect(await reopened.findById(user.id)).toEqual({ ...user, phoneNumber: '+12015550142' });
    expect(await reopened.checkPassword('rupert', 'rupert-password')).toMatchObject({ id: user.id });
    expect(await reopened.countRecoveryCodes(user.id)).toBe(3);
    expect(await reopened.consumeRecoveryCode(user.id, 'r-2')).toBe(true);
  });
});
