// The usual setup of a test file in one call: a Redis client and an emulator per file, a fresh deployment per test.
import type { Express } from 'express';
import type Redis from 'ioredis';
import type { MfaEvent, MfaOptions } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { createTestApp, USERS, type TestAppOptions } from './create-app';
import { userRecords, type UserRecords } from './user-records';
import { closeClient, createRedis, uniquePrefix } from './redis';
import { closeNodeRedis, nodeRedisV5, type NodeRedisV5 } from './node-redis';
import { deleteUnder } from './store-keys';

export interface TestBedOptions {
  /** Middleware options of every app the bed builds; `appWith` adds to them. */
  mfa?: Partial<MfaOptions>;
  /** The express module the apps are built with (the compatibility tests pass Express 4). */
  express?: TestAppOptions['express'];
  /** User records in Redis whose numbers change, with enrolment and recovery codes on (see createTestApp). */
  lifecycle?: boolean;
  /** Mount `takeTurns()` before the body parsers and the session (see createTestApp). */
  takeTurns?: boolean;
  /** Build the apps on one node-redis v5 client (sessions through connect-redis 9, and the store); `redis` still cleans up. */
  nodeRedis?: boolean;
}

/** What the current test sees; read it inside hooks and tests only (the hooks fill it in). */
export interface TestBed {
  readonly redis: Redis;
  readonly emulator: BandwidthEmulator;
  /** This test's key prefix: everything its apps write lives under it, and is deleted after the test. */
  readonly prefix: string;
  /** This test's app, built on first use, so a file that builds its own with `appWith` pays nothing. */
  readonly app: Express;
  /** What this test's apps reported through `onEvent` and their logger. */
  readonly events: MfaEvent[];
  readonly logs: string[];
  /** With `lifecycle`: this test's user records (alice and bob have numbers, carol and dave none). */
  readonly records: UserRecords;
  /** Another instance of this test's deployment (same Redis, prefix, emulator, events, logs), these options on top. */
  appWith(mfa?: Partial<MfaOptions>): Express;
}

interface PerTest {
  prefix: string;
  events: MfaEvent[];
  logs: string[];
  app?: Express;
  records?: UserRecords;
}

function present<T>(value: T | undefined, what: string): T {
  // A read at load time (outside a hook or test) would otherwise surface as a puzzling undefined later.
  if (value === undefined) throw new Error(`useTestBed: ${what} exists only inside hooks and tests`);
  return value;
}

/** Registers the hooks of the file (call it once, at the top level) and returns the per-test view. */
export function useTestBed(label: string, options: TestBedOptions = {}): TestBed {
  let redis: Redis | undefined;
  let appClient: NodeRedisV5 | undefined;
  let emulator: BandwidthEmulator | undefined;
  let current: PerTest | undefined;
  const filePrefixes: string[] = [];

  beforeAll(async () => {
    redis = createRedis();
    if (options.nodeRedis) appClient = await nodeRedisV5();
    emulator = await startBandwidthEmulator();
  });
  afterAll(async () => {
    await emulator?.close();
    // revokeTrustedDevices() reaches every middleware() of the process, so also the stores of earlier tests of this file.
    if (redis) for (const prefix of filePrefixes) await deleteUnder(redis, prefix);
    if (redis) await closeClient(redis);
    await closeNodeRedis(appClient);
  });
  beforeEach(() => {
    present(emulator, 'the emulator').reset();
    current = { prefix: uniquePrefix(label), events: [], logs: [] };
    filePrefixes.push(current.prefix);
  });
  afterEach(async () => {
    // The shared Redis would otherwise fill up with the keys of every test run.
    if (redis && current) await deleteUnder(redis, current.prefix);
  });

  const perTest = () => present(current, 'the per-test state');
  const bed: TestBed = {
    get redis() {
      return present(redis, 'the Redis client');
    },
    get emulator() {
      return present(emulator, 'the emulator');
    },
    get prefix() {
      return perTest().prefix;
    },
    get events() {
      return perTest().events;
    },
    get logs() {
      return perTest().logs;
    },
    get records() {
      const state = perTest();
      state.records ??= userRecords(bed.redis, state.prefix, {
        'user-alice': USERS.alice?.phoneNumber ?? null,
        'user-bob': USERS.bob?.phoneNumber ?? null,
      });
      return state.records;
    },
    get app() {
      const state = perTest();
      state.app ??= bed.appWith();
      return state.app;
    },
    appWith(mfa = {}) {
      const { prefix, events, logs } = perTest();
      return createTestApp({
        redis: options.nodeRedis ? present(appClient, 'the node-redis client') : bed.redis,
        prefix,
        emulator: bed.emulator,
        events,
        logs,
        express: options.express,
        takeTurns: options.takeTurns,
        mfa: { ...options.mfa, ...mfa },
        ...(options.lifecycle ? { lifecycle: bed.records } : {}),
      });
    },
  };
  return bed;
}
