// The bound on provider calls in flight follows the Bandwidth client's socket pool, so an admitted call always has a socket.
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

function limitWith(extra: Partial<MfaOptions>): number {
  return resolveOptions({ bandwidth, getUser: () => null, store: mfa.memoryStore(), ...extra } as MfaOptions).providerSlots.limit;
}

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
