// The passkey queries on the same Kysely database: the four storage hooks the library's `passkeys` option calls.
'use strict';

const CREDENTIAL_ID = /^[A-Za-z0-9_-]{1,1366}$/;

/** @typedef {import('express-bandwidth-mfa').StoredPasskey} StoredPasskey */

/**
 * @param {import('kysely').Selectable<import('./migrations').PasskeysTable>} row
 * @returns {StoredPasskey}
 */
function toPasskey(row) {
  /** @type {string[]} */
  let transports = [];
  try {
    const parsed = JSON.parse(row.transports);
    if (Array.isArray(parsed)) transports = parsed.filter((transport) => typeof transport === 'string');
  } catch {
    // A damaged column costs only the hint: the browser then asks for any authenticator.
  }
  return {
    credentialId: row.credential_id,
    publicKey: row.public_key,
    // PostgreSQL's bigint arrives as a string.
    counter: Number(row.counter),
    transports,
    name: row.name,
    createdAt: new Date(row.created_at),
    lastUsedAt: row.last_used_at === null || row.last_used_at === undefined ? null : new Date(row.last_used_at),
  };
}

const time = (/** @type {Date} */ date) => date.toISOString();

/** @param {import('kysely').Kysely<import('./migrations').Database>} db */
function passkeysOn(db) {
  return {
    /**
     * @param {string} userId
     * @returns {Promise<StoredPasskey[]>} oldest first
     */
    async listPasskeys(userId) {
      if (typeof userId !== 'string') return [];
      const rows = await db
        .selectFrom('passkeys')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('credential_id')
        .execute();
      return rows.map(toPasskey);
    },

    /**
     * @param {string} userId
     * @param {StoredPasskey} passkey  as the library verified it; a credential id already bound fails on the primary key
     */
    async savePasskey(userId, passkey) {
      if (!CREDENTIAL_ID.test(passkey.credentialId)) throw new TypeError('credentialId must be base64url.');
      await db
        .insertInto('passkeys')
        .values({
          credential_id: passkey.credentialId,
          user_id: userId,
          public_key: passkey.publicKey,
          counter: passkey.counter,
          transports: JSON.stringify(passkey.transports),
          name: passkey.name,
          created_at: time(passkey.createdAt),
          last_used_at: passkey.lastUsedAt ? time(passkey.lastUsedAt) : null,
        })
        .execute();
    },

    /**
     * @param {string} userId
     * @param {string} credentialId
     * @param {number} counter
     * @param {Date} lastUsedAt
     */
    async updatePasskeyCounter(userId, credentialId, counter, lastUsedAt) {
      await db
        .updateTable('passkeys')
        .set({ counter, last_used_at: time(lastUsedAt) })
        .where('user_id', '=', userId)
        .where('credential_id', '=', credentialId)
        .execute();
    },

    /**
     * @param {string} userId
     * @param {string} credentialId
     * @returns {Promise<boolean>} whether the user had it
     */
    async removePasskey(userId, credentialId) {
      if (typeof userId !== 'string' || typeof credentialId !== 'string') return false;
      const result = await db
        .deleteFrom('passkeys')
        .where('user_id', '=', userId)
        .where('credential_id', '=', credentialId)
        .executeTakeFirst();
      return result.numDeletedRows > 0n;
    },
  };
}

module.exports = { passkeysOn };
