// The schema, as Kysely migrations defined in code: applied in order at start, each one once.
'use strict';

const { Migrator, sql } = require('kysely');

// The tables as the migrations below leave them, for the queries' types. A migration gets Kysely's Kysely<any>: it
// works on the schema of its own day, not on this one. Times are ISO-8601 text in SQLite and timestamptz in PostgreSQL
// (read back as a Date); both are written as text.

/** @typedef {import('kysely').ColumnType<Date | string, string, string>} Timestamp */
/** @typedef {import('kysely').ColumnType<Date | string | null, string | null, string | null>} NullableTimestamp */

/**
 * @typedef {object} UsersTable
 * @property {string} id
 * @property {string} username
 * @property {string} password_hash
 * @property {string | null} phone_number
 * @property {import('kysely').Generated<string | null>} email  added by 0002; null unless the user gave one
 * @property {Timestamp} created_at
 */

/**
 * @typedef {object} RecoveryCodesTable
 * @property {string} user_id
 * @property {string} hash
 */

/**
 * @typedef {object} SecurityEventsTable
 * @property {string} id
 * @property {string} user_id
 * @property {string} type
 * @property {string | null} masked_phone_number
 * @property {string | null} previous_masked_phone_number
 * @property {string | null} ip
 * @property {string | null} user_agent
 * @property {string | null} actor
 * @property {Timestamp} at
 */

/**
 * @typedef {object} PasskeysTable
 * @property {string} credential_id
 * @property {string} user_id
 * @property {string} public_key
 * @property {import('kysely').ColumnType<number | string, number, number>} counter  a bigint: PostgreSQL's arrives as a string
 * @property {string} transports  a JSON array of strings
 * @property {string} name
 * @property {Timestamp} created_at
 * @property {NullableTimestamp} last_used_at
 */

/**
 * @typedef {object} Database
 * @property {UsersTable} users
 * @property {RecoveryCodesTable} recovery_codes
 * @property {SecurityEventsTable} security_events
 * @property {PasskeysTable} passkeys
 */

/**
 * @param {'sqlite' | 'postgres'} engine  SQLite has no timestamp type: times are ISO-8601 text there.
 * @returns {Record<string, import('kysely').Migration>}
 */
function migrations(engine) {
  const timestamp = engine === 'postgres' ? 'timestamptz' : 'text';
  return {
    '0001_users_and_recovery_codes': {
      async up(db) {
        await db.schema
          .createTable('users')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('username', 'text', (column) => column.notNull().unique())
          // One PHC-style string: $scrypt$ln=15,r=8,p=3$<salt>$<key>.
          .addColumn('password_hash', 'text', (column) => column.notNull())
          // Null until the user enrols a phone for the second factor.
          .addColumn('phone_number', 'text')
          .addColumn('created_at', timestamp, (column) => column.notNull())
          .execute();
        // "Alice" and "alice" would be two accounts a person cannot tell apart.
        await db.schema
          .createIndex('users_username_lower_unique')
          .on('users')
          .unique()
          .expression(sql`lower(username)`)
          .execute();
        // One row per unused code, so that spending one is a single DELETE whose row count says whether it existed.
        await db.schema
          .createTable('recovery_codes')
          .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
          .addColumn('hash', 'text', (column) => column.notNull())
          .addPrimaryKeyConstraint('recovery_codes_pk', ['user_id', 'hash'])
          .execute();
      },
      async down(db) {
        await db.schema.dropTable('recovery_codes').execute();
        await db.schema.dropTable('users').execute();
      },
    },
    '0002_email_and_security_events': {
      async up(db) {
        // Optional: where security notices go, a channel other than the phone whose changes they report.
        await db.schema.alterTable('users').addColumn('email', 'text').execute();
        // The factor's life, for the account page: what happened, when, from which address. Never a full number or a code.
        await db.schema
          .createTable('security_events')
          .addColumn('id', 'text', (column) => column.primaryKey())
          .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
          .addColumn('type', 'text', (column) => column.notNull())
          .addColumn('masked_phone_number', 'text')
          .addColumn('previous_masked_phone_number', 'text')
          .addColumn('ip', 'text')
          .addColumn('user_agent', 'text')
          .addColumn('actor', 'text')
          .addColumn('at', timestamp, (column) => column.notNull())
          .execute();
        await db.schema.createIndex('security_events_user_at').on('security_events').columns(['user_id', 'at']).execute();
      },
      async down(db) {
        await db.schema.dropTable('security_events').execute();
        await db.schema.alterTable('users').dropColumn('email').execute();
      },
    },
    '0003_passkeys': {
      async up(db) {
        // One row per passkey. The credential id is unique across users: an authenticator answers with it alone.
        await db.schema
          .createTable('passkeys')
          .addColumn('credential_id', 'text', (column) => column.primaryKey())
          .addColumn('user_id', 'text', (column) => column.notNull().references('users.id').onDelete('cascade'))
          // base64url COSE key: public, but only the library's verified registration writes it.
          .addColumn('public_key', 'text', (column) => column.notNull())
          // Signature counters are 32-bit unsigned: past PostgreSQL's integer.
          .addColumn('counter', 'bigint', (column) => column.notNull().defaultTo(0))
          // JSON array of strings, e.g. ["internal","hybrid"].
          .addColumn('transports', 'text', (column) => column.notNull().defaultTo('[]'))
          .addColumn('name', 'text', (column) => column.notNull())
          .addColumn('created_at', timestamp, (column) => column.notNull())
          .addColumn('last_used_at', timestamp)
          .execute();
        await db.schema.createIndex('passkeys_user_id').on('passkeys').column('user_id').execute();
      },
      async down(db) {
        await db.schema.dropTable('passkeys').execute();
      },
    },
  };
}

/**
 * Brings the schema up to date; Kysely's lock keeps two instances starting together from both migrating.
 * @param {import('kysely').Kysely<Database>} db
 * @param {'sqlite' | 'postgres'} engine
 * @returns {Promise<string[]>} the names of the migrations applied now
 */
async function migrate(db, engine) {
  const migrator = new Migrator({ db, provider: { getMigrations: async () => migrations(engine) } });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((result) => result.status === 'Error')?.migrationName;
    throw new Error(
      `The database migration${failed ? ` ${failed}` : ''} failed: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  return (results ?? []).filter((result) => result.status === 'Success').map((result) => result.migrationName);
}

module.exports = { migrate, migrations };
