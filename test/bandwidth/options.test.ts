// Bandwidth settings are checked once, with messages that say what to change and never quote a secret.
import type { BandwidthOptions } from '../../src';
import { validateBandwidthOptions } from '../../src/bandwidth/options';
import { parseRetryAfter, waitFromProse } from '../../src/bandwidth/answers';

const valid: BandwidthOptions = {
  accountId: '9900000',
  oauth: { clientId: 'id', clientSecret: 's3cr3t-value' },
  messagingApplicationId: 'app',
  from: '+19195550100',
};

describe('validateBandwidthOptions', () => {
  test('defaults: production URLs, 10 s timeout', () => {
    const resolved = validateBandwidthOptions(valid);
    expect(resolved).toMatchObject({ baseUrl: 'https://mfa.bandwidth.com/api/v1', timeoutMs: 10_000 });
    expect(resolved.auth).toMatchObject({ kind: 'oauth', tokenUrl: 'https://api.bandwidth.com/api/v1/oauth2/token' });
  });

  test.each([
    [{ oauth: undefined }, /bandwidth\.oauth.*required/],
    [{ basic: { username: 'u', password: 'p' } }, /not both/],
    [{ from: '9195550100' }, /bandwidth\.from.*E\.164/],
    [{ baseUrl: 'http://mfa.example.com/api/v1' }, /https URL/],
    [{ accountId: '' }, /bandwidth\.accountId/],
    [{ messagingApplicationId: 'x'.repeat(51) }, /1–50 characters/],
    [{ timeoutMs: 5 }, /timeoutMs.*100 to 60000/],
    [{ acountId: '1' } as Partial<BandwidthOptions>, /Did you mean `bandwidth\.accountId`/],
  ])('%j is refused with %s', (change, message) => {
    expect(() => validateBandwidthOptions({ ...valid, ...change } as BandwidthOptions)).toThrow(message);
  });

  test('a bad secret is reported by name, never by value', () => {
    expect(() => validateBandwidthOptions({ ...valid, oauth: { clientId: 'id', clientSecret: '' } })).toThrow(/oauth\.clientSecret/);
    expect(() =>
      validateBandwidthOptions({ ...valid, oauth: { clientId: 'id', clientSecret: 's3cr3t-value', extra: 1 } as never }),
    ).not.toThrow(/s3cr3t/);
  });

  test('plain http is allowed on loopback, for the emulator', () => {
    expect(validateBandwidthOptions({ ...valid, baseUrl: 'http://127.0.0.1:9999/api/v1/' }).baseUrl).toBe('http://127.0.0.1:9999/api/v1');
  });
});

describe('reading how long Bandwidth wants us to wait', () => {
  test.each([
    ['please wait 2 minutes', 120],
    ['wait 30 seconds', 30],
    ['try again in 1 hour', 3600],
    ['Too many requests', undefined],
    [undefined, undefined],
  ])('prose %j → %s s', (text, seconds) => {
    expect(waitFromProse(text)).toBe(seconds);
  });

  test('Retry-After as seconds or as a date, capped at a day', () => {
    const now = Date.parse('2026-11-23T12:00:00Z');
    expect(parseRetryAfter('45', now)).toBe(45);
    expect(parseRetryAfter('Mon, 23 Nov 2026 12:01:00 GMT', now)).toBe(60);
    expect(parseRetryAfter('999999999', now)).toBe(86_400);
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('0', now)).toBeUndefined();
  });
});
