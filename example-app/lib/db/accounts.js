// The account queries, one Kysely query layer for SQLite and PostgreSQL: users, their phone numbers, recovery codes and passkeys.
'use strict';

const crypto = require('node:crypto');
const { hashPassword, passwordMatches, checkCost } = require('../passwords');
const { isE164PhoneNumber } = require('../phone-numbers');
const { usernameProblem, passwordProblem, MAX_PASSWORD_LENGTH } = require('../account-rules');
const { AccountError, isUniqueViolation } = require('./errors');
const { passkeysOn } = require('./passkeys');

const USER_COLUMNS = /** @type {const} */ (['id', 'username', 'phone_number', 'created_at']);
const MAX_HASH_LENGTH = 512;

/**
 * @typedef {{ id: string, username: string, phoneNumber: string | null, createdAt: Date }} User
 */

/** @param {Pick<import('kysely').Selectable<import('./migrations').UsersTable>, (typeof USER_COLUMNS)[number]>} row */
function toUser(row) {
  return { id: row.id, username: row.username, phoneNumber: row.phone_number ?? null, createdAt: new Date(row.created_at) };
}

/**
 * @param {unknown} hashes
 * @returns {asserts hashes is string[]}
 */
function checkRecoveryHashes(hashes) {
  if (!Array.isArray(hashes) || hashes.some((hash) => typeof hash !== 'string' || hash === '' || hash.length > MAX_HASH_LENGTH)) {
    throw new TypeError(`recovery code hashes must be an array of non-empty strings of at most ${MAX_HASH_LENGTH} characters.`);
  }
  if (new Set(hashes).size !== hashes.length) throw new TypeError('recovery code hashes must not repeat.');
}

/**
 * @param {import('kysely').Kysely<import('./migrations').Database>} db  migrated
 * @param {'sqlite' | 'postgres'} engine
 * @param {{ passwordCost?: { N: number, r: number, p: number } }} [options]  tests only: cheaper scrypt settings
 */
async function accountsOn(db, engine, { passwordCost } = {}) {
  const cost = checkCost(passwordCost);
  const hash = (/** @type {string} */ password) => hashPassword(password, cost);
  // Unknown usernames are checked against this, so they cost the same scrypt as a wrong password.
  const dummyHash = await hash(crypto.randomBytes(16).toString('hex'));

  const accounts = {
    /**
     * @param {string} id
     * @returns {Promise<User | undefined>}
     */
    async findById(id) {
      if (typeof id !== 'string' || id === '') return undefined;
      const row = await db.selectFrom('users').select(USER_COLUMNS).where('id', '=', id).executeTakeFirst();
      return row && toUser(row);
    },

    /**
     * @param {unknown} username  anything but a valid username finds nobody
     * @returns {Promise<User | undefined>} exact match
     */
    async findByUsername(username) {
      if (typeof username !== 'string' || usernameProblem(username)) return undefined;
      const row = await db.selectFrom('users').select(USER_COLUMNS).where('username', '=', username).executeTakeFirst();
      return row && toUser(row);
    },

    /**
     * @param {unknown} username  as typed in the form
     * @param {unknown} password
     * @returns {Promise<User | null>} the user when the password is theirs; unknown users take the same time.
     */
    async checkPassword(username, password) {
      if (typeof username !== 'string' || typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) return null;
      const row = usernameProblem(username)
        ? undefined
        : await db
            .selectFrom('users')
            .select([...USER_COLUMNS, 'password_hash'])
            .where('username', '=', username)
            .executeTakeFirst();
      const match = await passwordMatches(password, row ? row.password_hash : dummyHash);
      return match && row ? toUser(row) : null;
    },

    /**
     * @param {{ username: unknown, password: unknown }} account
     * @returns {Promise<User>}
     * @throws {AccountError} a bad username or password, or a username already taken (in any letter case)
     */
    async createUser({ username, password }) {
      const usernameError = usernameProblem(username);
      if (usernameError) throw new AccountError('invalid_username', 'username', usernameError);
      const passwordError = passwordProblem(password);
      if (passwordError) throw new AccountError('invalid_password', 'password', passwordError);
      // Both are strings now: the rules above refuse anything else.
      const row = {
        id: crypto.randomUUID(),
        username: /** @type {string} */ (username),
        password_hash: await hash(/** @type {string} */ (password)),
        phone_number: null,
        created_at: new Date().toISOString(),
      };
      try {
        // The unique indexes decide, so two sign-ups racing for one name cannot both win.
        await db.insertInto('users').values(row).execute();
      } catch (error) {
        if (isUniqueViolation(error)) throw new AccountError('username_taken', 'username', 'That username is taken. Choose another one.');
        throw error;
      }
      return toUser(row);
    },

    /**
     * @param {string} userId
     * @param {string} password
     * @throws {AccountError} a bad password; Error when there is no such user
     */
    async setPassword(userId, password) {
      const passwordError = passwordProblem(password);
      if (passwordError) throw new AccountError('invalid_password', 'password', passwordError);
      const result = await db
        .updateTable('users')
        .set({ password_hash: await hash(password) })
        .where('id', '=', userId)
        .executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new Error('There is no user with that id.');
    },

    /**
     * Removes the user; their recovery codes go with them (ON DELETE CASCADE).
     * @param {string} userId
     * @returns {Promise<boolean>} whether there was one
     */
    async deleteUser(userId) {
      if (typeof userId !== 'string') return false;
      const result = await db.deleteFrom('users').where('id', '=', userId).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /**
     * The number the second factor goes to, or null to remove it.
     * @param {string} userId
     * @param {string | null} phoneNumber
     * @throws {TypeError} a number that is not valid E.164
     */
    async setPhoneNumber(userId, phoneNumber) {
      // The message never repeats the number: errors end up in logs.
      if (phoneNumber !== null && !isE164PhoneNumber(phoneNumber))
        throw new TypeError('phoneNumber must be a valid number in E.164 form (e.g. +12015550123) or null.');
      const result = await db.updateTable('users').set({ phone_number: phoneNumber }).where('id', '=', userId).executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new Error('There is no user with that id.');
    },

    /**
     * Deletes every recovery code of the user and stores these hashes instead, in one transaction.
     * @param {string} userId
     * @param {string[]} hashes
     */
    async replaceRecoveryCodes(userId, hashes) {
      checkRecoveryHashes(hashes);
      await db.transaction().execute(async (trx) => {
        // Locking the user's row serializes two replacements on PostgreSQL; otherwise both could insert and leave
        // the union of two sets. SQLite runs one write transaction at a time anyway.
        const user = await trx
          .selectFrom('users')
          .select('id')
          .where('id', '=', userId)
          .$if(engine === 'postgres', (query) => query.forUpdate())
          .executeTakeFirst();
        if (!user) throw new Error('There is no user with that id.');
        await trx.deleteFrom('recovery_codes').where('user_id', '=', userId).execute();
        if (hashes.length > 0)
          await trx
            .insertInto('recovery_codes')
            .values(hashes.map((hash) => ({ user_id: userId, hash })))
            .execute();
      });
    },

    /**
     * Spends a recovery code: true for exactly one caller, however many try the same hash at once.
     * @param {string} userId
     * @param {string} hash
     */
    async consumeRecoveryCode(userId, hash) {
      if (typeof userId !== 'string' || typeof hash !== 'string' || hash === '') return false;
      // One statement: the row count is the answer, so there is no window between "exists" and "delete".
      const result = await db.deleteFrom('recovery_codes').where('user_id', '=', userId).where('hash', '=', hash).executeTakeFirst();
      return result.numDeletedRows > 0n;
    },

    /**
     * @param {string} userId
     * @returns {Promise<number>} unused recovery codes of the user
     */
    async countRecoveryCodes(userId) {
      if (typeof userId !== 'string') return 0;
      const row = await db
        .selectFrom('recovery_codes')
        .select((eb) => eb.fn.countAll().as('count'))
        .where('user_id', '=', userId)
        .executeTakeFirst();
      // PostgreSQL's count is a bigint, which pg hands over as a string.
      return Number(row?.count ?? 0);
    },

    async close() {
      await db.destroy();
    },
  };
  // Passkeys go with the user (ON DELETE CASCADE), like recovery codes.
  return Object.assign(accounts, passkeysOn(db));
}

module.exports = { accountsOn };
