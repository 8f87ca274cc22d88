// The example app's accounts: opens the database, brings its schema up to date, and hands back the queries.
'use strict';

const { connect, parseDatabaseUrl } = require('./connect');
const { migrate } = require('./migrations');
const { accountsOn } = require('./accounts');
const { securityEventsOn } = require('./security-events');
const { AccountError } = require('./errors');

/**
 * The accounts, their security history and passkeys, and where they are kept.
 * @typedef {Awaited<ReturnType<typeof accountsOn>> & ReturnType<typeof securityEventsOn> & { engine: 'sqlite' | 'postgres', where: string }} Accounts
 */

/**
 * @param {string | undefined} databaseUrl  DATABASE_URL
 * @param {{ logger?: { log(m: string): void, error(m: string): void }, passwordCost?: { N: number, r: number, p: number } }} [options]
 *   `passwordCost`: cheaper scrypt settings, for tests only (no environment variable sets it)
 * @returns {Promise<Accounts>}
 */
async function openAccounts(databaseUrl, { logger = console, passwordCost } = {}) {
  const { db, engine, where, migrationLock } = connect(databaseUrl, logger);
  try {
    const applied = await migrationLock(() => migrate(db, engine));
    if (applied.length > 0) logger.log(`Database ${where}: applied ${applied.join(', ')}.`);
    return { ...(await accountsOn(db, engine, { passwordCost })), ...securityEventsOn(db), engine, where };
  } catch (error) {
    await db.destroy().catch(() => undefined);
    throw error;
  }
}

module.exports = { openAccounts, parseDatabaseUrl, AccountError };
