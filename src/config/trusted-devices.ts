// Checks the `trustedDevices` option: how long a browser stays trusted, the signing keys, the cookie name.
import type { MfaConfig, TrustedDevicesOptions } from '../options';
import { fail, integerIn, rejectUnknownKeys, secretsOption } from './checks';

const COOKIE_NAME = /^[A-Za-z0-9_-]{1,64}$/;

export function resolveTrustedDevices(option: TrustedDevicesOptions | false | undefined): MfaConfig['trustedDevices'] {
  if (option === false) return undefined;
  if (option === undefined) return { days: 30, cookieName: 'mfa_trusted' };
  if (typeof option !== 'object' || option === null || Array.isArray(option)) {
    fail('`trustedDevices` must be `false` or `{ days, secret?, cookieName? }`.');
  }
  rejectUnknownKeys('trustedDevices.', option, ['days', 'secret', 'cookieName']);
  const days = integerIn('trustedDevices.days', option.days, 30, 0, 365, 'Use 0 (or `trustedDevices: false`) to turn the feature off.');
  if (days === 0) return undefined;
  const cookieName = option.cookieName ?? 'mfa_trusted';
  if (typeof cookieName !== 'string' || !COOKIE_NAME.test(cookieName)) {
    fail('`trustedDevices.cookieName` must be 1–64 letters, digits, `_` or `-`.');
  }
  return { days, cookieName, secrets: option.secret === undefined ? undefined : secretsOption('trustedDevices.secret', option.secret) };
}
