// Opens the database DATABASE_URL names: PostgreSQL for postgres:// URLs, SQLite otherwise (a file under example-app/data/ by default).
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { Kysely, SqliteDialect, PostgresDialect } = require('kysely');

const DEFAULT_SQLITE_FILE = path.join(__dirname, '..', '..', 'data', 'example-app.sqlite');

/**
 * @param {string | undefined} databaseUrl  `postgres://…`, `sqlite:<path>`, or undefined for the default SQLite file
 * @returns {{ engine: 'sqlite', file: string, where: string } | { engine: 'postgres', connectionString: string, where: string }}
 */
function parseDatabaseUrl(databaseUrl) {
  if (!databaseUrl) return { engine: 'sqlite', file: DEFAULT_SQLITE_FILE, where: DEFAULT_SQLITE_FILE };
  if (/^postgres(?:ql)?:\/\//i.test(databaseUrl))
    return { engine: 'postgres', connectionString: databaseUrl, where: describePostgres(databaseUrl) };
  if (/^sqlite:/i.test(databaseUrl)) {
    // sqlite:relative/file, sqlite:/absolute/file and sqlite:///absolute/file all name a file.
    const file = databaseUrl.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!file || file === ':memory:')
      throw new Error('DATABASE_URL=sqlite:<path> needs a file path (an in-memory database would lose every account on restart).');
    return { engine: 'sqlite', file: path.resolve(file), where: path.resolve(file) };
  }
  throw new Error('DATABASE_URL must start with postgres://, postgresql:// or sqlite: (e.g. sqlite:example-app/data/example-app.sqlite).');
}

/**
 * Host, port and database only: the URL may hold a password.
 * @param {string} url
 */
function describePostgres(url) {
  try {
    const { hostname, port, pathname } = new URL(url);
    return `postgres ${hostname}:${port || 5432}${pathname}`;
  } catch {
    return 'postgres (DATABASE_URL)';
  }
}

/**
 * @param {string | undefined} databaseUrl  DATABASE_URL, as parseDatabaseUrl() reads it
 * @param {{ error(m: string): void }} logger
 * @returns {{ db: import('kysely').Kysely<import('./migrations').Database>, engine: 'sqlite' | 'postgres', where: string,
 *   migrationLock: <T>(work: () => Promise<T>) => Promise<T> }}
 */
function connect(databaseUrl, logger) {
  const target = parseDatabaseUrl(databaseUrl);
  if (target.engine === 'postgres') {
    // Loaded only here, so that the SQLite setup runs without the pg package and the other way round.
    const { Pool } = require('pg');
    const pool = new Pool({ connectionString: target.connectionString, max: 10, connectionTimeoutMillis: 5000 });
    // An idle client losing its server must not crash the process; the next query fails and is answered with a 500.
    pool.on('error', (error) =>
      logger.error(`PostgreSQL connection lost (${/** @type {NodeJS.ErrnoException} */ (error).code ?? error.name}).`),
    );
    // Kysely's Migrator takes a PostgreSQL advisory lock itself.
    return {
      db: new Kysely({ dialect: new PostgresDialect({ pool }) }),
      engine: 'postgres',
      where: target.where,
      migrationLock: (work) => work(),
    };
  }
  const Database = require('better-sqlite3');
  fs.mkdirSync(path.dirname(target.file), { recursive: true });
  const database = new Database(target.file);
  // WAL lets readers go on during a write; foreign keys are off by default in SQLite and the schema relies on them.
  database.pragma('journal_mode = WAL');
  database.pragma('foreign_keys = ON');
  database.pragma('busy_timeout = 5000');
  return {
    db: new Kysely({ dialect: new SqliteDialect({ database }) }),
    engine: 'sqlite',
    where: target.where,
    migrationLock: (work) => sqliteWriteLock(database, work),
  };
}

/**
 * Kysely takes no lock for SQLite migrations, so two processes starting on a new file could both create the
 * tables. BEGIN IMMEDIATE holds the file's write lock around the whole migration (SQLite's DDL is transactional
 * too). Waiting for it is done here, asynchronously: SQLite's own busy wait would block the event loop.
 * @template T
 * @param {{ pragma(source: string): unknown, exec(source: string): unknown, readonly inTransaction: boolean }} database
 *   the better-sqlite3 connection, as far as this uses it
 * @param {() => Promise<T>} work
 * @returns {Promise<T>}
 */
async function sqliteWriteLock(database, work) {
  database.pragma('busy_timeout = 0');
  try {
    for (let attempt = 0; ; attempt += 1) {
      try {
        database.exec('BEGIN IMMEDIATE');
        break;
      } catch (error) {
        if (/** @type {{ code?: unknown } | undefined} */ (error)?.code !== 'SQLITE_BUSY' || attempt >= 300) throw error;
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
    }
  } finally {
    database.pragma('busy_timeout = 5000');
  }
  try {
    const result = await work();
    database.exec('COMMIT');
    return result;
  } catch (error) {
    if (database.inTransaction) database.exec('ROLLBACK');
    throw error;
  }
}

module.exports = { connect, parseDatabaseUrl, DEFAULT_SQLITE_FILE };
