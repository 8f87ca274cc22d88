// Builds the example app (plain JS in example-app/) from an environment, with its log lines captured.
// Driving it: form-browser.ts, sign-in-steps.ts and enrolment-steps.ts; a fresh app per test: use-example-app.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Express } from 'express';
import type { BandwidthEmulator } from '../../../src/testing';
import type { Mfa } from '../../../src';
import { REDIS_URL, closeClient, createRedis } from '../../helpers/redis';
import { deleteUnder } from '../../helpers/store-keys';

export interface ExampleApp {
  app: Express;
  accounts: Accounts;
  /** The app's createMfa() instance, for operator calls a test makes in-process. */
  mfa: Mfa;
  emulator?: BandwidthEmulator;
  close(): Promise<void>;
  /** Everything the app logged: audit events and warnings. */
  logs: string[];
}

/** The example app's data layer (example-app/lib/db), as the tests use it. */
export interface User {
  id: string;
  username: string;
  phoneNumber: string | null;
  createdAt: Date;
}
export interface Accounts {
  engine: 'sqlite' | 'postgres';
  findById(id: string): Promise<User | undefined>;
  findByUsername(username: string): Promise<User | undefined>;
  checkPassword(username: unknown, password: unknown): Promise<User | null>;
  createUser(account: { username: unknown; password: unknown }): Promise<User>;
  setPassword(userId: string, password: string): Promise<void>;
  deleteUser(userId: string): Promise<boolean>;
  setPhoneNumber(userId: string, phoneNumber: string | null): Promise<void>;
  replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void>;
  consumeRecoveryCode(userId: string, hash: string): Promise<boolean>;
  countRecoveryCodes(userId: string): Promise<number>;
  emailOf(userId: string): Promise<string | null>;
  setEmail(userId: string, email: string | null): Promise<void>;
  recordSecurityEvent(event: SecurityEventInput): Promise<void>;
  recentSecurityEvents(userId: string, limit?: number): Promise<SecurityEntry[]>;
  close(): Promise<void>;
}

/** A library event as the history takes it (example-app/lib/db/security-events.js). */
export interface SecurityEventInput {
  type: string;
  userId: string;
  at?: Date;
  maskedPhoneNumber?: string;
  previousMaskedPhoneNumber?: string;
  ip?: string;
  userAgent?: string;
  actor?: string;
}
export type SecurityEntry = Omit<SecurityEventInput, 'userId' | 'at'> & { at: Date };

export interface PasswordCost {
  N: number;
  r: number;
  p: number;
}
interface ExampleAppModule {
  createExampleApp(config: unknown, options?: { logger?: unknown; passwordCost?: PasswordCost }): Promise<Omit<ExampleApp, 'logs'>>;
}
interface DbModule {
  openAccounts(databaseUrl: string | undefined, options?: { logger?: unknown; passwordCost?: PasswordCost }): Promise<Accounts>;
}
interface ConfigModule {
  readConfig(env: Record<string, string | undefined>): unknown;
}

// The example app is plain CommonJS without types; jest maps its `express-bandwidth-mfa` to src/.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { createExampleApp } = require('../../../example-app/app') as ExampleAppModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { readConfig } = require('../../../example-app/lib/config') as ConfigModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
export const { openAccounts } = require('../../../example-app/lib/db') as DbModule;

export const DEMO = { username: 'demo', password: 'demo-password', phone: '+12015550100' };

/**
 * scrypt at N=2^10, p=1 instead of the app's N=2^15, p=3: a sign-up or sign-in costs about a millisecond instead of
 * a quarter-second, which the app tests do hundreds of times. Only tests pass it (createExampleApp's `passwordCost`);
 * storage.test.ts checks the real settings, and `realPasswordCost` keeps them for a whole app.
 */
export const TEST_PASSWORD_COST: PasswordCost = { N: 1024, r: 8, p: 1 };

export const TEST_RECOVERY_CODE_SECRET = 'recovery-code-secret-of-the-example-app-tests-0123456789';

// Prefixes of the apps started on the shared test Redis in the current test. A prefix outlives one app
// (a restart on the same Redis keeps the session), so its keys go after the test, not on close().
const sharedRedisPrefixes = new Set<string>();
afterEach(async () => {
  if (sharedRedisPrefixes.size === 0) return;
  const redis = createRedis();
  try {
    for (const prefix of sharedRedisPrefixes) await deleteUnder(redis, prefix);
  } finally {
    sharedRedisPrefixes.clear();
    await closeClient(redis);
  }
});

/** A logger that keeps every line, for tests that read what the app said. */
export function captureLogs(): { logs: string[]; logger: Record<'log' | 'warn' | 'error', (m: string) => void> } {
  const logs: string[] = [];
  const keep = (m: string) => {
    logs.push(m);
  };
  return { logs, logger: { log: keep, warn: keep, error: keep } };
}

/**
 * The app on `env`; without DATABASE_URL, on a SQLite file of its own in a temporary folder (never the
 * developer's example-app/data/), removed on close. Passwords are hashed at TEST_PASSWORD_COST unless `realPasswordCost`.
 */
export async function startExampleApp(
  env: Record<string, string | undefined> = {},
  { realPasswordCost = false } = {},
): Promise<ExampleApp> {
  if (env.REDIS_URL === REDIS_URL) {
    if (!env.REDIS_KEY_PREFIX)
      throw new Error(
        "startExampleApp: on the shared test Redis, give REDIS_KEY_PREFIX (uniquePrefix()) so the test's keys can be deleted",
      );
    sharedRedisPrefixes.add(env.REDIS_KEY_PREFIX);
  }
  const { logs, logger } = captureLogs();
  // On SQLite the development recovery-code secret goes to a file beside the database (a temporary folder); for
  // PostgreSQL it would go to example-app/data/ of this checkout, so such tests get a secret of their own instead.
  if (/^postgres/.test(env.DATABASE_URL ?? '') && !('MFA_RECOVERY_CODE_SECRET' in env))
    env = { ...env, MFA_RECOVERY_CODE_SECRET: TEST_RECOVERY_CODE_SECRET };
  const dir = env.DATABASE_URL ? undefined : fs.mkdtempSync(path.join(os.tmpdir(), 'example-app-db-'));
  const config = readConfig(dir ? { ...env, DATABASE_URL: `sqlite:${path.join(dir, 'accounts.sqlite')}` } : env);
  const removeDir = () => dir && fs.rmSync(dir, { recursive: true, force: true });
  const built = await createExampleApp(config, { logger, ...(realPasswordCost ? {} : { passwordCost: TEST_PASSWORD_COST }) }).catch(
    (error: unknown) => {
      removeDir();
      throw error;
    },
  );
  return {
    ...built,
    logs,
    close: async () => {
      await built.close();
      removeDir();
    },
  };
}

export { readConfig };
