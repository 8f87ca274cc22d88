// Throwaway databases for the example app's storage tests: a SQLite file in a temp folder, or a PostgreSQL database of its own.
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';

export const POSTGRES_ADMIN_URL = process.env.EXAMPLE_POSTGRES_URL || 'postgres://postgres@127.0.0.1:5432/postgres';

export interface TestDatabase {
  engine: 'sqlite' | 'postgres';
  /** The DATABASE_URL the app takes. */
  url: string;
  /** Deletes the database (and its files). */
  drop(): Promise<void>;
}

export async function sqliteDatabase(): Promise<TestDatabase> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-sqlite-'));
  return {
    engine: 'sqlite',
    url: `sqlite:${path.join(dir, 'accounts.sqlite')}`,
    drop: async () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

async function asAdmin<T>(work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: POSTGRES_ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** CREATE DATABASE with a random name; drop() removes it even if a pool still holds connections. */
export async function postgresDatabase(): Promise<TestDatabase> {
  const name = `example_app_test_${randomBytes(6).toString('hex')}`;
  await asAdmin((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    engine: 'postgres',
    url: url.toString(),
    drop: () =>
      asAdmin(async (client) => {
        await client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      }),
  };
}

/** Both engines, for `describe.each`: every storage test runs on SQLite and on PostgreSQL. */
export const ENGINES = [
  ['SQLite', sqliteDatabase],
  ['PostgreSQL', postgresDatabase],
] as const;
