// The example app's passkeys table (migration 0003_passkeys) on SQLite and PostgreSQL: the four hooks the library calls.
import type { StoredPasskey } from '../../src';
import { ENGINES, type TestDatabase } from './helpers/databases';
import { TEST_PASSWORD_COST, openAccounts, type Accounts } from './helpers/example-app';

interface PasskeyAccounts extends Accounts {
  listPasskeys(userId: string): Promise<StoredPasskey[]>;
  savePasskey(userId: string, passkey: StoredPasskey): Promise<void>;
  updatePasskeyCounter(userId: string, credentialId: string, counter: number, lastUsedAt: Date): Promise<void>;
  removePasskey(userId: string, credentialId: string): Promise<boolean>;
}

const silent = { log: () => undefined, warn: () => undefined, error: () => undefined };

const passkey = (credentialId: string, name: string, createdAt: Date): StoredPasskey => ({
  credentialId,
  publicKey: 'pQECAyYgASFYIA',
  counter: 0,
  transports: ['internal', 'hybrid'],
  name,
  createdAt,
  lastUsedAt: null,
});

describe.each(ENGINES)('passkeys on %s', (_engine, makeDatabase) => {
  let database: TestDatabase;
  let accounts: PasskeyAccounts;

  beforeEach(async () => {
    database = await makeDatabase();
    accounts = (await openAccounts(database.url, { logger: silent, passwordCost: TEST_PASSWORD_COST })) as PasskeyAccounts;
  });
  afterEach(async () => {
    await accounts.close();
    await database.drop();
  });

  test('save, list (oldest first, with every field), count a sign-in, remove', async () => {
    const alice = await accounts.createUser({ username: 'alice', password: 'alice-password' });
    const bob = await accounts.createUser({ username: 'bob', password: 'bob-password' });
    await accounts.savePasskey(alice.id, passkey('cred-2', 'Phone', new Date('2026-03-02T10:00:00Z')));
    await accounts.savePasskey(alice.id, passkey('cred-1', 'Laptop', new Date('2026-03-01T10:00:00Z')));
    await accounts.savePasskey(bob.id, passkey('cred-3', 'Key', new Date('2026-03-03T10:00:00Z')));

    const list = await accounts.listPasskeys(alice.id);
    expect(list.map((p) => p.name)).toEqual(['Laptop', 'Phone']);
    expect(list[0]).toEqual({ ...passkey('cred-1', 'Laptop', new Date('2026-03-01T10:00:00Z')) });

    // Counters are 32-bit unsigned: past a PostgreSQL integer.
    const used = new Date('2026-03-04T08:30:00Z');
    await accounts.updatePasskeyCounter(alice.id, 'cred-1', 4_000_000_000, used);
    // Another user's id changes nothing.
    await accounts.updatePasskeyCounter(bob.id, 'cred-2', 9, used);
    const after = await accounts.listPasskeys(alice.id);
    expect(after[0]).toMatchObject({ counter: 4_000_000_000, lastUsedAt: used });
    expect(after[1]).toMatchObject({ counter: 0, lastUsedAt: null });

    expect(await accounts.removePasskey(bob.id, 'cred-1')).toBe(false);
    expect(await accounts.removePasskey(alice.id, 'cred-1')).toBe(true);
    expect(await accounts.removePasskey(alice.id, 'cred-1')).toBe(false);
    expect((await accounts.listPasskeys(alice.id)).map((p) => p.credentialId)).toEqual(['cred-2']);
  });

  test('a credential id is bound once, across users; passkeys go with their user', async () => {
    const alice = await accounts.createUser({ username: 'alice', password: 'alice-password' });
    const bob = await accounts.createUser({ username: 'bob', password: 'bob-password' });
    await accounts.savePasskey(alice.id, passkey('cred-1', 'Laptop', new Date()));
    // The driver's own error class (from the native module) is judged by outcome, not by realm-sensitive instanceof.
    const outcome = await accounts.savePasskey(bob.id, passkey('cred-1', 'Stolen', new Date())).then(
      () => 'saved',
      (error: unknown) => `refused: ${(error as { code?: string }).code}`,
    );
    expect(outcome).toMatch(/^refused: (23505|SQLITE_CONSTRAINT_PRIMARYKEY)$/);
    expect(await accounts.listPasskeys(bob.id)).toEqual([]);
    await accounts.deleteUser(alice.id);
    expect(await accounts.listPasskeys(alice.id)).toEqual([]);
    // The id is free again once its user is gone.
    await accounts.savePasskey(bob.id, passkey('cred-1', 'Key', new Date()));
    expect(await accounts.listPasskeys(bob.id)).toHaveLength(1);
  });
});
