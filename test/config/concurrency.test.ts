// The instance's bounds: provider calls in flight follow the Bandwidth client's socket pool, so an admitted call always
// has a socket; the turns sends and verifies take have a small default; values outside the range are refused at start.
import * as mfa from '../../src';
import type { MfaOptions } from '../../src';
import { resolveOptions } from '../../src/config/resolve';
import { DEFAULT_MAX_SOCKETS } from '../../src/bandwidth/options';

const bandwidth = {
  accountId: '9900000',
  oauth: { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: 'http://127.0.0.1:9/api/v1/oauth2/token' },
  messagingApplicationId: 'messaging-app-id',
  from: '+19195550100',
  baseUrl: 'http://127.0.0.1:9/api/v1',
};

const resolve = (extra: Partial<MfaOptions>) =>
  resolveOptions({ bandwidth, getUser: () => null, store: mfa.memoryStore(), ...extra } as MfaOptions);

const limitWith = (extra: Partial<MfaOptions>): number => resolve(extra).providerSlots.limit;

describe('providerConcurrency', () => {
  test("defaults to the client's default pool when maxSockets is not given", () => {
    expect(limitWith({})).toBe(DEFAULT_MAX_SOCKETS);
  });

  test('follows bandwidth.maxSockets', () => {
    expect(limitWith({ bandwidth: { ...bandwidth, maxSockets: 80 } })).toBe(80);
  });

  test('an explicit value wins', () => {
    expect(limitWith({ bandwidth: { ...bandwidth, maxSockets: 80 }, providerConcurrency: 10 })).toBe(10);
  });

  test('a value that is not a whole number from 1 to 10 000 is refused at start', () => {
    expect(() => limitWith({ providerConcurrency: 0 })).toThrow(/`providerConcurrency`/);
  });
});

describe('workConcurrency and workQueueTimeoutMs', () => {
  test('default to 3 at work at once and a 2 s wait', () => {
    const config = resolve({});
    expect(config.workSlots.limit).toBe(2);
    expect(config.workQueueTimeoutMs).toBe(2000);
  });

  test('take the values given', () => {
    const config = resolve({ workConcurrency: 12, workQueueTimeoutMs: 500 });
    expect(config.workSlots.limit).toBe(12);
    expect(config.workQueueTimeoutMs).toBe(500);
  });

  test.each([0, 1.5, 1001, '4'])('workConcurrency %p is refused at start, the message naming the option and its range', (value) => {
    expect(() => resolve({ workConcurrency: value as number })).toThrow(/`workConcurrency` must be a whole number from 1 to 1000/);
  });

  test.each([0, -1, 60_001, null])('workQueueTimeoutMs %p is refused at start', (value) => {
    expect(() => resolve({ workQueueTimeoutMs: value as number })).toThrow(/`workQueueTimeoutMs` must be a whole number from 1 to 60000/);
  });
});
