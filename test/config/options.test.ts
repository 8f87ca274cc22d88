// middleware(options): mistakes are caught once, at start, with a message that says what to change.
import * as mfa from '../../src';
import type { MfaOptions } from '../../src';
import { STORE_METHODS } from '../../src/stores/types';

const provider = { sendCode: async () => ({ id: 'm' }), verifyCode: async () => false };
const base: MfaOptions = { bandwidth: provider, getUser: () => null, store: mfa.memoryStore() };

function build(extra: Record<string, unknown>) {
  return () => mfa.middleware({ ...base, ...extra } as MfaOptions);
}

describe('middleware options', () => {
  test('the minimum works', () => {
    expect(typeof mfa.middleware(base)).toBe('function');
  });

  test.each([
    [{ digits: 4 }, /`digits` must be a whole number from 6 to 8; got 4\. NIST/],
    [{ digits: '6' }, /`digits`.*got "6"/],
    [{ codeTtlMinutes: 11 }, /`codeTtlMinutes` must be a whole number from 1 to 10/],
    [{ maxAttempts: 0 }, /`maxAttempts`/],
    [{ messageTemplate: 'Your code' }, /`messageTemplate` must be text .*\{CODE\}/],
    [{ scope: 'a scope with spaces' }, /`scope` must be 1–16 letters/],
    [{ loginPath: 'https://evil.example/login' }, /`loginPath` must be a path on this site/],
    [{ maxAttemps: 3 }, /unknown option `maxAttemps`\. Did you mean `maxAttempts`\?/],
    [{ getUser: undefined }, /`getUser` is required/],
    [{ store: undefined }, /`store` is required/],
    [{ store: { get: () => null } }, /`store` must implement .*missing set, delete/],
    [{ bandwidth: undefined }, /`bandwidth` is required/],
    [{ logger: {} }, /`logger` must have/],
    [{ messages: { en: { sms_template: 'no code here' } } }, /messages\.en\.sms_template/],
  ])('%j is refused', (extra, message) => {
    expect(build(extra)).toThrow(TypeError);
    expect(build(extra)).toThrow(message);
  });

  test('a store of the eight core methods alone is refused while trusted browsers are on, and runs once they are off', () => {
    const { mapSet, mapGet, mapGetAll, mapDelete, ...core } = mfa.memoryStore();
    expect([mapSet, mapGet, mapGetAll, mapDelete].every((method) => typeof method === 'function')).toBe(true);
    expect(
      Object.keys(core)
        .filter((name) => name !== 'evictionPolicy')
        .sort(),
    ).toEqual([...STORE_METHODS].sort());
    expect(build({ store: core })).toThrow(
      /Trusted browsers .* need a store that also implements mapSet, mapGet, mapGetAll, mapDelete .*`trustedDevices: false`/,
    );
    expect(typeof mfa.middleware({ ...base, store: core, trustedDevices: false })).toBe('function');
  });

  test('Bandwidth settings are checked too, without echoing secrets', () => {
    const attempt = build({
      bandwidth: {
        accountId: '1',
        oauth: { clientId: 'id', clientSecret: 'very-secret-value' },
        messagingApplicationId: 'a',
        from: 'not-a-number',
      },
    });
    expect(attempt).toThrow(/from/);
    try {
      attempt();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('very-secret-value');
    }
  });
});
