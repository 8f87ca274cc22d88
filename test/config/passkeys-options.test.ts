// The `passkeys` option and the guard's method options: checked once at start-up, with messages that say what to change.
import { execFileSync } from 'node:child_process';
import * as mfa from '../../src';
import type { MfaOptions, PasskeysOptions } from '../../src';

const provider = { sendCode: async () => ({ id: 'm' }), verifyCode: async () => false };
const base: MfaOptions = { bandwidth: provider, getUser: () => null, store: mfa.memoryStore() };
const hooks = { listPasskeys: () => [], savePasskey: () => undefined, updatePasskeyCounter: () => undefined, removePasskey: () => true };
const passkeys: PasskeysOptions = {
  rpId: 'example.com',
  rpName: 'Example Co.',
  origins: ['https://example.com', 'https://app.example.com:8443'],
  ...hooks,
};

function build(extra: Record<string, unknown>) {
  return () => mfa.createMfa({ ...base, passkeys: { ...passkeys, ...extra } as PasskeysOptions });
}

describe('the passkeys option', () => {
  test('a complete one works', () => {
    expect(typeof build({})().passkeyAuthenticationVerifyRoute()).toBe('function');
  });

  test.each([
    [{ rpId: 'https://example.com' }, /`passkeys.rpId` must be your site's domain/],
    [{ rpId: 'Example.com' }, /`passkeys.rpId`/],
    [{ rpName: '' }, /`passkeys.rpName`/],
    [{ origins: [] }, /`passkeys.origins` must be a non-empty array/],
    [{ origins: ['https://example.com/login'] }, /`passkeys.origins\[0\]` must be an origin/],
    [{ origins: ['http://example.com'] }, /http only for localhost/],
    [{ origins: ['https://example.net'] }, /`passkeys.origins\[0\]` \(example.net\) is not `passkeys.rpId` \(example.com\)/],
    [{ origins: ['https://notexample.com'] }, /is not `passkeys.rpId`/],
    [{ savePasskey: undefined }, /`passkeys.savePasskey` is required/],
    [{ userVerification: 'discouraged' }, /`passkeys.userVerification` must be "required" or "preferred"/],
    [{ challengeTtlSeconds: 5 }, /`passkeys.challengeTtlSeconds` must be a whole number from 30 to 600/],
    [{ allowRemovingLastFactor: 'yes' }, /`passkeys.allowRemovingLastFactor` must be true or false/],
    [{ rpID: 'example.com' }, /unknown option `passkeys.rpID`\. Did you mean `passkeys.rpId`\?/],
  ])('%j is refused', (extra, message) => {
    expect(build(extra)).toThrow(TypeError);
    expect(build(extra)).toThrow(message);
  });

  test('http://localhost is accepted for development', () => {
    expect(build({ rpId: 'localhost', origins: ['http://localhost:3000'] })).not.toThrow();
  });

  test('configured without @simplewebauthn/server installed: a start-up error that says what to install', () => {
    jest.isolateModules(() => {
      jest.doMock('@simplewebauthn/server', () => {
        throw Object.assign(new Error("Cannot find module '@simplewebauthn/server'"), { code: 'MODULE_NOT_FOUND' });
      });
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a fresh copy of the library, with the package missing.
      const isolated = require('../../src') as typeof mfa;
      const attempt = () => isolated.createMfa({ ...base, passkeys });
      expect(attempt).toThrow(TypeError);
      expect(attempt).toThrow(/the `passkeys` option needs the `@simplewebauthn\/server` package.*npm install @simplewebauthn\/server/);
      // Without the option, the same copy of the library works.
      expect(typeof isolated.createMfa(base).requireSecondFactor()).toBe('function');
    });
    jest.dontMock('@simplewebauthn/server');
  });

  test('an app without passkeys never loads @simplewebauthn/server', () => {
    const script = `
      const lib = require('./src');
      lib.createMfa({ bandwidth: { sendCode: async () => ({}), verifyCode: async () => false }, getUser: () => null, store: lib.memoryStore() });
      process.stdout.write(String(Object.keys(require.cache).some((file) => file.includes('@simplewebauthn'))));`;
    const loaded = execFileSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { cwd: `${__dirname}/../..`, encoding: 'utf8' });
    expect(loaded).toBe('false');
  });
});

describe('requireSecondFactor method options', () => {
  const instance = mfa.createMfa(base);
  test.each([
    [{ phishingResistant: 'yes' }, /`requireSecondFactor.phishingResistant` must be true or false/],
    [{ methods: [] }, /`requireSecondFactor.methods` must be a non-empty array/],
    [{ methods: ['email'] }, /`requireSecondFactor.methods`/],
    [{ phishingResistant: true, methods: ['sms'] }, /accepts passkeys only/],
    [{ method: ['sms'] }, /Did you mean `requireSecondFactor.methods`/],
  ])('%j is refused', (options, message) => {
    expect(() => instance.requireSecondFactor(options as never)).toThrow(message);
  });

  test('valid ones build a guard', () => {
    expect(typeof instance.requireSecondFactor({ phishingResistant: true })).toBe('function');
    expect(typeof instance.requireSecondFactor({ methods: ['passkey', 'recovery_code'], maxAgeSeconds: 60 })).toBe('function');
  });
});
