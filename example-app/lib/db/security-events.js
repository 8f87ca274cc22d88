// The e-mail address security notices go to, and the account's security history: one Kysely query layer for SQLite and PostgreSQL.
'use strict';

const crypto = require('node:crypto');
const { emailProblem } = require('../email-address');

/** What a history row may keep of a library event: masked numbers, address and browser, never more. */
const LIMITS = { type: 64, masked: 32, ip: 64, userAgent: 256, actor: 128 };

/**
 * What the history takes of a library event (`MfaEvent`); `at` defaults to now.
 * @typedef {{ type: string, userId: string, at?: Date, maskedPhoneNumber?: string, previousMaskedPhoneNumber?: string,
 *   ip?: string, userAgent?: string, actor?: string }} SecurityEvent
 */

/**
 * @param {string | undefined} value
 * @param {number} max
 */
const clip = (value, max) => (typeof value === 'string' && value !== '' ? value.slice(0, max) : null);

/** @typedef {ReturnType<typeof toEntry>} SecurityEntry  one line of the account's security history */

/** @param {import('kysely').Selectable<import('./migrations').SecurityEventsTable>} row */
function toEntry(row) {
  return {
    type: row.type,
    maskedPhoneNumber: row.masked_phone_number ?? undefined,
    previousMaskedPhoneNumber: row.previous_masked_phone_number ?? undefined,
    ip: row.ip ?? undefined,
    userAgent: row.user_agent ?? undefined,
    actor: row.actor ?? undefined,
    at: new Date(row.at),
  };
}

/** @param {import('kysely').Kysely<import('./migrations').Database>} db  migrated */
function securityEventsOn(db) {
  return {
    /**
     * @param {string} userId
     * @returns {Promise<string | null>} the address notices go to, or null
     */
    async emailOf(userId) {
      if (typeof userId !== 'string') return null;
      const row = await db.selectFrom('users').select('email').where('id', '=', userId).executeTakeFirst();
      return row?.email ?? null;
    },

    /**
     * @param {string} userId
     * @param {string | null} email
     * @throws {TypeError} an address that is not one (the message never repeats it)
     */
    async setEmail(userId, email) {
      if (email !== null && emailProblem(email)) throw new TypeError('email must be an e-mail address such as jo@example.com, or null.');
      const result = await db.updateTable('users').set({ email }).where('id', '=', userId).executeTakeFirst();
      if (result.numUpdatedRows === 0n) throw new Error('There is no user with that id.');
    },

    /**
     * Keeps one library event (`MfaEvent`) in the user's history.
     * @param {SecurityEvent} event
     */
    async recordSecurityEvent(event) {
      await db
        .insertInto('security_events')
        .values({
          id: crypto.randomUUID(),
          user_id: event.userId,
          // Never empty (a library event type): the column is NOT NULL, unlike the optional ones below.
          type: event.type.slice(0, LIMITS.type),
          masked_phone_number: clip(event.maskedPhoneNumber, LIMITS.masked),
          previous_masked_phone_number: clip(event.previousMaskedPhoneNumber, LIMITS.masked),
          ip: clip(event.ip, LIMITS.ip),
          user_agent: clip(event.userAgent, LIMITS.userAgent),
          actor: clip(event.actor, LIMITS.actor),
          at: (event.at instanceof Date ? event.at : new Date()).toISOString(),
        })
        .execute();
    },

    /**
     * @param {string} userId
     * @param {number} [limit]
     * @returns {Promise<SecurityEntry[]>} the newest first
     */
    async recentSecurityEvents(userId, limit = 10) {
      if (typeof userId !== 'string') return [];
      const rows = await db
        .selectFrom('security_events')
        .selectAll()
        .where('user_id', '=', userId)
        .orderBy('at', 'desc')
        .orderBy('id')
        .limit(limit)
        .execute();
      return rows.map(toEntry);
    },
  };
}

module.exports = { securityEventsOn };
