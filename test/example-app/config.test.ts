// Settings from the environment: sandbox only when Bandwidth is wholly unset, and nothing unsafe in production.
import fs from 'node:fs';
import path from 'node:path';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { captureLogs, readConfig } from './helpers/example-app';

interface ListenModule {
  listen(app: express.Express, config: { host: string; port: number }, logger: { log(m: string): void }): Promise<Server>;
}
interface ConnectModule {
  parseDatabaseUrl(url: string | undefined): { engine: string; file?: string; where: string };
  DEFAULT_SQLITE_FILE: string;
}
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { listen } = require('../../example-app/lib/listen') as ListenModule;
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { parseDatabaseUrl, DEFAULT_SQLITE_FILE } = require('../../example-app/lib/db/connect') as ConnectModule;

const SECRET = { MFA_RECOVERY_CODE_SECRET: 'a-long-random-recovery-code-secret-for-the-test-0123' };
const BANDWIDTH = {
  BANDWIDTH_ACCOUNT_ID: '9900000',
  BANDWIDTH_CLIENT_ID: 'id',
  BANDWIDTH_CLIENT_SECRET: 'secret',
  BANDWIDTH_MESSAGING_APPLICATION_ID: 'app',
  BANDWIDTH_FROM_NUMBER: '+12025550199',
};

describe('example app configuration', () => {
  test('no BANDWIDTH_* variable: sandbox', () => {
    expect(readConfig({})).toMatchObject({ bandwidth: undefined, port: 3000, trustedDeviceDays: 30 });
  });

  test('a complete OAuth configuration is passed on as it is', () => {
    expect((readConfig(BANDWIDTH) as { bandwidth: unknown }).bandwidth).toEqual({
      accountId: '9900000',
      oauth: { clientId: 'id', clientSecret: 'secret' },
      messagingApplicationId: 'app',
      from: '+12025550199',
    });
  });

  test('half a Bandwidth configuration is an error naming what is missing, never a silent sandbox', () => {
    expect(() => readConfig({ BANDWIDTH_ACCOUNT_ID: '9900000' })).toThrow(
      /BANDWIDTH_MESSAGING_APPLICATION_ID.*BANDWIDTH_FROM_NUMBER.*BANDWIDTH_CLIENT_ID/,
    );
    expect(() => readConfig({ ...BANDWIDTH, BANDWIDTH_ACCOUNT_ID: '' })).toThrow(/BANDWIDTH_ACCOUNT_ID/);
  });

  test('production refuses the sandbox, the published demo password and a missing recovery-code secret', () => {
    expect(() => readConfig({ NODE_ENV: 'production', EXAMPLE_USERS_FILE: '/x.json', ...SECRET })).toThrow(
      /Sandbox mode .* refused when NODE_ENV=production/,
    );
    expect(() => readConfig({ NODE_ENV: 'production', ...BANDWIDTH, ...SECRET })).toThrow(/EXAMPLE_USERS_FILE/);
    expect(() => readConfig({ NODE_ENV: 'production', EXAMPLE_USERS_FILE: '/x.json', ...BANDWIDTH })).toThrow(
      /MFA_RECOVERY_CODE_SECRET is required when NODE_ENV=production/,
    );
    expect(readConfig({ NODE_ENV: 'production', EXAMPLE_USERS_FILE: '/x.json', ...BANDWIDTH, ...SECRET })).toMatchObject({
      production: true,
      recoveryCodeSecret: SECRET.MFA_RECOVERY_CODE_SECRET,
    });
  });

  test('lifecycle settings: default country, how recent a code must be for changes, the recovery-code secret', () => {
    expect(readConfig({})).toMatchObject({ defaultCountry: 'US', sensitiveMaxAgeSeconds: 300, recoveryCodeSecret: undefined });
    expect(readConfig({ MFA_DEFAULT_COUNTRY: 'gb', MFA_SENSITIVE_MAX_AGE_SECONDS: '120', ...SECRET })).toMatchObject({
      defaultCountry: 'GB',
      sensitiveMaxAgeSeconds: 120,
    });
    expect(() => readConfig({ MFA_DEFAULT_COUNTRY: 'United States' })).toThrow(/MFA_DEFAULT_COUNTRY must be a two-letter country code/);
    expect(() => readConfig({ MFA_SENSITIVE_MAX_AGE_SECONDS: '5m' })).toThrow(/whole number/);
    // Too short to be a key; the message never repeats it.
    expect(() => readConfig({ MFA_RECOVERY_CODE_SECRET: 'short-secret' })).toThrow(/at least 32 characters/);
    expect(() => readConfig({ MFA_RECOVERY_CODE_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
  });

  test('numbers must be whole numbers; TRUST_PROXY=true (trust everyone) is refused', () => {
    expect(() => readConfig({ MFA_MAX_ATTEMPTS: 'five' })).toThrow(/MFA_MAX_ATTEMPTS must be a whole number/);
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(readConfig({ TRUST_PROXY: '1', MFA_STEP_UP_MAX_AGE_SECONDS: '600' })).toMatchObject({ trustProxy: 1, stepUpMaxAgeSeconds: 600 });
  });

  test('HOST: loopback outside production, every interface in production, or what is set', () => {
    expect(readConfig({})).toMatchObject({ host: '127.0.0.1' });
    expect(readConfig({ NODE_ENV: 'production', EXAMPLE_USERS_FILE: '/x.json', ...BANDWIDTH, ...SECRET })).toMatchObject({
      host: '0.0.0.0',
    });
    expect(readConfig({ HOST: '::1' })).toMatchObject({ host: '::1' });
  });

  test('the server listens on HOST only and prints that address', async () => {
    const { logs, logger } = captureLogs();
    const server = await listen(express(), { host: '127.0.0.1', port: 0 }, logger);
    try {
      const { address, port } = server.address() as AddressInfo;
      expect(address).toBe('127.0.0.1');
      expect(logs).toEqual([`Listening on http://127.0.0.1:${port}.`]);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  test('SESSION_ABSOLUTE_HOURS: 12 by default, a whole number of hours from 1', () => {
    expect(readConfig({})).toMatchObject({ sessionAbsoluteHours: 12 });
    expect(readConfig({ SESSION_ABSOLUTE_HOURS: '2' })).toMatchObject({ sessionAbsoluteHours: 2 });
    expect(() => readConfig({ SESSION_ABSOLUTE_HOURS: '0' })).toThrow(/SESSION_ABSOLUTE_HOURS must be 1 to 8760/);
    expect(() => readConfig({ SESSION_ABSOLUTE_HOURS: '1.5' })).toThrow(/whole number/);
  });

  test('DATABASE_URL: a SQLite file under example-app/data by default, sqlite:<path>, or postgres://', () => {
    expect(parseDatabaseUrl(undefined)).toMatchObject({ engine: 'sqlite', file: DEFAULT_SQLITE_FILE });
    expect(DEFAULT_SQLITE_FILE).toMatch(/example-app\/data\/[^/]+\.sqlite$/);
    expect(parseDatabaseUrl('sqlite:/tmp/accounts.sqlite')).toMatchObject({ engine: 'sqlite', file: '/tmp/accounts.sqlite' });
    expect(parseDatabaseUrl('sqlite:///tmp/accounts.sqlite')).toMatchObject({ engine: 'sqlite', file: '/tmp/accounts.sqlite' });
    // The password never shows in what is printed about the database.
    const postgres = parseDatabaseUrl('postgres://app:hunter2-secret@db.internal:5433/accounts');
    expect(postgres).toMatchObject({ engine: 'postgres', where: 'postgres db.internal:5433/accounts' });
    expect(JSON.stringify(postgres.where)).not.toContain('hunter2');
    expect(() => parseDatabaseUrl('mysql://x')).toThrow(/DATABASE_URL must start with postgres/);
    expect(() => parseDatabaseUrl('sqlite::memory:')).toThrow(/needs a file path/);
  });

  test('every variable the app reads is in .env.example and in example-app/README.md', () => {
    const root = path.join(__dirname, '..', '..');
    const source = ['config.js', 'traffic-config.js']
      .map((file) => fs.readFileSync(path.join(root, 'example-app', 'lib', file), 'utf8'))
      .join('\n');
    const names = new Set(
      [...source.matchAll(/\benv\.([A-Z][A-Z0-9_]+)|'([A-Z][A-Z0-9_]{3,})'/g)].map((match) => (match[1] ?? match[2]) as string),
    );
    expect([...names]).toEqual(
      expect.arrayContaining([
        'MFA_DEFAULT_COUNTRY',
        'MFA_SENSITIVE_MAX_AGE_SECONDS',
        'MFA_RECOVERY_CODE_SECRET',
        'DATABASE_URL',
        'SEND_RATE_LIMIT',
        'ALLOWED_COUNTRIES',
        'METRICS_TOKEN',
      ]),
    );
    const envExample = fs.readFileSync(path.join(root, '.env.example'), 'utf8');
    const readme = fs.readFileSync(path.join(root, 'example-app', 'README.md'), 'utf8');
    expect([...names].filter((name) => !new RegExp(`^${name}=`, 'm').test(envExample))).toEqual([]);
    expect([...names].filter((name) => !readme.includes(`\`${name}\``))).toEqual([]);
  });
});
