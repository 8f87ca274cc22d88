// Settings from the environment: sandbox only when Bandwidth is wholly unset, and nothing unsafe in production.
import { readConfig } from './helpers/example-app';

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
      accountId: '9900000', oauth: { clientId: 'id', clientSecret: 'secret' }, messagingApplicationId: 'app', from: '+12025550199',
    });
  });

  test('half a Bandwidth configuration is an error naming what is missing, never a silent sandbox', () => {
    expect(() => readConfig({ BANDWIDTH_ACCOUNT_ID: '9900000' })).toThrow(/BANDWIDTH_MESSAGING_APPLICATION_ID.*BANDWIDTH_FROM_NUMBER.*BANDWIDTH_CLIENT_ID/);
    expect(() => readConfig({ ...BANDWIDTH, BANDWIDTH_ACCOUNT_ID: '' })).toThrow(/BANDWIDTH_ACCOUNT_ID/);
  });

  test('production refuses the sandbox and the published demo password', () => {
    expect(() => readConfig({ NODE_ENV: 'production', EXAMPLE_USERS_FILE: '/x.json' })).toThrow(/Sandbox mode .* refused when NODE_ENV=production/);
    expect(() => readConfig({ NODE_ENV: 'production', ...BANDWIDTH })).toThrow(/EXAMPLE_USERS_FILE/);
    expect(readConfig({ NODE_ENV: 'production', EXAMPLE_USERS_FILE: '/x.json', ...BANDWIDTH })).toMatchObject({ production: true });
  });

  test('numbers must be whole numbers; TRUST_PROXY=true (trust everyone) is refused', () => {
    expect(() => readConfig({ MFA_MAX_ATTEMPTS: 'five' })).toThrow(/MFA_MAX_ATTEMPTS must be a whole number/);
    expect(() => readConfig({ TRUST_PROXY: 'true' })).toThrow(/TRUST_PROXY/);
    expect(readConfig({ TRUST_PROXY: '1', MFA_STEP_UP_MAX_AGE_SECONDS: '600' })).toMatchObject({ trustProxy: 1, stepUpMaxAgeSeconds: 600 });
  });
});
