// Reads the example app's settings from environment variables once, failing loudly on mistakes.
'use strict';

const { readTrafficConfig } = require('./traffic-config');

const BANDWIDTH_VARIABLES = [
  'BANDWIDTH_ACCOUNT_ID',
  'BANDWIDTH_CLIENT_ID',
  'BANDWIDTH_CLIENT_SECRET',
  'BANDWIDTH_USERNAME',
  'BANDWIDTH_PASSWORD',
  'BANDWIDTH_MESSAGING_APPLICATION_ID',
  'BANDWIDTH_VOICE_APPLICATION_ID',
  'BANDWIDTH_FROM_NUMBER',
  'BANDWIDTH_MFA_BASE_URL',
  'BANDWIDTH_TOKEN_URL',
];

/** @typedef {ReturnType<typeof readConfig>} Config  the app's settings, as readConfig() returns them */

/**
 * @param {Record<string, string | undefined>} env  usually `process.env`
 * @returns the settings `createExampleApp()` takes; `bandwidth` is undefined in sandbox mode.
 */
function readConfig(env = process.env) {
  const production = env.NODE_ENV === 'production';
  const bandwidth = readBandwidth(env);
  if (!bandwidth && production) {
    // The sandbox shows codes on the page: fine on a laptop, a hole on a server.
    throw new Error(
      'Sandbox mode (no BANDWIDTH_ACCOUNT_ID) shows codes on the page and is refused when NODE_ENV=production. Set the BANDWIDTH_* variables.',
    );
  }
  if (!env.EXAMPLE_USERS_FILE && production) {
    throw new Error(
      "The demo user's password is published; it is refused when NODE_ENV=production. Set EXAMPLE_USERS_FILE: the demo user is created only without it.",
    );
  }
  const recoveryCodeSecret = readRecoveryCodeSecret(env, production);
  const port = integer(env, 'PORT') ?? 3000;
  return {
    port,
    // Loopback unless told otherwise: a laptop's demo should not be reachable from the café's network.
    host: env.HOST || (production ? '0.0.0.0' : '127.0.0.1'),
    production,
    trustProxy: readTrustProxy(env.TRUST_PROXY),
    sessionSecret: env.SESSION_SECRET || undefined,
    sessionAbsoluteHours: sessionAbsoluteHours(env),
    databaseUrl: env.DATABASE_URL || undefined,
    redisUrl: env.REDIS_URL || undefined,
    redisPrefix: env.REDIS_KEY_PREFIX || 'example-app:',
    usersFile: env.EXAMPLE_USERS_FILE || undefined,
    bandwidth,
    // Left undefined when unset so the library's defaults (and its range checks) apply.
    mfa: {
      resendCooldownSeconds: integer(env, 'MFA_RESEND_COOLDOWN_SECONDS'),
      maxAttempts: integer(env, 'MFA_MAX_ATTEMPTS'),
      codeTtlMinutes: integer(env, 'MFA_CODE_TTL_MINUTES'),
      maxSendsPerHour: integer(env, 'MFA_MAX_SENDS_PER_HOUR'),
      lockoutSeconds: integer(env, 'MFA_LOCKOUT_SECONDS'),
    },
    stepUpMaxAgeSeconds: integer(env, 'MFA_STEP_UP_MAX_AGE_SECONDS'),
    trustedDeviceDays: integer(env, 'MFA_TRUSTED_DEVICE_DAYS') ?? 30,
    // Changing the number and making new recovery codes need a code (or a recovery code) at most this old.
    sensitiveMaxAgeSeconds: integer(env, 'MFA_SENSITIVE_MAX_AGE_SECONDS') ?? 300,
    defaultCountry: readCountry(env.MFA_DEFAULT_COUNTRY),
    // Undefined outside production when unset: lib/recovery-code-secret.js keeps a development one in a file.
    recoveryCodeSecret,
    // limits, allowedCountries, metricsToken
    ...readTrafficConfig(env),
    mail: readMail(env),
    passkeys: readPasskeys(env, production, port),
  };
}

/**
 * Security notices by e-mail: SMTP_URL (smtp:// or smtps://, credentials in it) and the From address.
 * @param {NodeJS.ProcessEnv} env
 */
function readMail(env) {
  const smtpUrl = env.SMTP_URL || undefined;
  if (smtpUrl !== undefined && !/^smtps?:\/\/[^\s]+$/i.test(smtpUrl)) {
    // Never quoted back: the URL may hold the mail server's password.
    throw new Error('SMTP_URL must be an smtp:// or smtps:// URL such as smtps://user:password@mail.example.com:465.');
  }
  const mailFrom = env.MAIL_FROM || 'Example Co. security <security@example.invalid>';
  if (/[\r\n]/.test(mailFrom) || !/@/.test(mailFrom))
    throw new Error('MAIL_FROM must be one address such as "Example Co. <security@example.com>".');
  return { smtpUrl, mailFrom };
}

/**
 * Passkeys as a second factor: PASSKEY_RP_ID (the site's domain) and PASSKEY_ORIGINS (comma-separated). Outside
 * production they default to localhost on PORT; in production they are off until PASSKEY_RP_ID is set.
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} production
 * @param {number} port
 */
function readPasskeys(env, production, port) {
  const rpId = env.PASSKEY_RP_ID || (production ? undefined : 'localhost');
  if (!rpId) return undefined;
  const origins = env.PASSKEY_ORIGINS
    ? env.PASSKEY_ORIGINS.split(',')
        .map((origin) => origin.trim())
        .filter(Boolean)
    : production
      ? [`https://${rpId}`]
      : [`http://localhost:${port}`];
  return { rpId, origins, rpName: env.PASSKEY_RP_NAME || 'Example Co.' };
}

/**
 * MFA_RECOVERY_CODE_SECRET keys the recovery codes' hashes; production must set it (a lost or changed one voids every code).
 * @param {NodeJS.ProcessEnv} env
 * @param {boolean} production
 */
function readRecoveryCodeSecret(env, production) {
  const secret = env.MFA_RECOVERY_CODE_SECRET || undefined;
  if (secret !== undefined && secret.length < 32)
    throw new Error('MFA_RECOVERY_CODE_SECRET must be at least 32 characters (e.g. `openssl rand -base64 48`).');
  if (secret === undefined && production) {
    throw new Error(
      "MFA_RECOVERY_CODE_SECRET is required when NODE_ENV=production: it keys the recovery codes' hashes and must stay the same across restarts and instances (e.g. `openssl rand -base64 48`, kept outside the database).",
    );
  }
  return secret;
}

/**
 * How numbers typed without +country are read: an ISO 3166 code such as US or GB.
 * @param {string | undefined} value
 * @returns {import('libphonenumber-js').CountryCode}
 */
function readCountry(value) {
  const country = (value || 'US').toUpperCase();
  if (!/^[A-Z]{2}$/.test(country))
    throw new Error(`MFA_DEFAULT_COUNTRY must be a two-letter country code such as US or GB; got ${JSON.stringify(value)}.`);
  // Two letters: libphonenumber-js then says whether it knows the country.
  return /** @type {import('libphonenumber-js').CountryCode} */ (country);
}

/**
 * Bandwidth settings, or undefined when none is set (sandbox). Half a configuration is an error, not a sandbox.
 * @param {NodeJS.ProcessEnv} env
 * @returns {import('express-bandwidth-mfa').BandwidthOptions | undefined}
 */
function readBandwidth(env) {
  const set = BANDWIDTH_VARIABLES.filter((name) => env[name]);
  if (set.length === 0) return undefined;
  const missing = ['BANDWIDTH_ACCOUNT_ID', 'BANDWIDTH_MESSAGING_APPLICATION_ID', 'BANDWIDTH_FROM_NUMBER'].filter((name) => !env[name]);
  const oauth = env.BANDWIDTH_CLIENT_ID && env.BANDWIDTH_CLIENT_SECRET;
  const basic = env.BANDWIDTH_USERNAME && env.BANDWIDTH_PASSWORD;
  if (!oauth && !basic) missing.push('BANDWIDTH_CLIENT_ID + BANDWIDTH_CLIENT_SECRET (or BANDWIDTH_USERNAME + BANDWIDTH_PASSWORD)');
  if (missing.length > 0) {
    throw new Error(
      `Bandwidth is half configured (${set.join(', ')} set); also set ${missing.join(', ')}, or unset them all for sandbox mode.`,
    );
  }
  // Every variable read below is set: the checks above refused a configuration without one.
  return /** @type {import('express-bandwidth-mfa').BandwidthOptions} */ ({
    accountId: env.BANDWIDTH_ACCOUNT_ID,
    ...(oauth
      ? {
          oauth: {
            clientId: env.BANDWIDTH_CLIENT_ID,
            clientSecret: env.BANDWIDTH_CLIENT_SECRET,
            ...(env.BANDWIDTH_TOKEN_URL ? { tokenUrl: env.BANDWIDTH_TOKEN_URL } : {}),
          },
        }
      : { basic: { username: env.BANDWIDTH_USERNAME, password: env.BANDWIDTH_PASSWORD } }),
    messagingApplicationId: env.BANDWIDTH_MESSAGING_APPLICATION_ID,
    ...(env.BANDWIDTH_VOICE_APPLICATION_ID ? { voiceApplicationId: env.BANDWIDTH_VOICE_APPLICATION_ID } : {}),
    from: env.BANDWIDTH_FROM_NUMBER,
    ...(env.BANDWIDTH_MFA_BASE_URL ? { baseUrl: env.BANDWIDTH_MFA_BASE_URL } : {}),
  });
}

/**
 * Express's `trust proxy`: unset → false; a number of hops; or addresses such as `loopback`.
 * @param {string | undefined} value
 */
function readTrustProxy(value) {
  if (!value) return false;
  if (/^\d+$/.test(value)) return Number(value);
  if (value === 'true' || value === 'false')
    throw new Error(
      'TRUST_PROXY takes the number of proxies in front of the app (e.g. 1) or their addresses (e.g. loopback), not true/false: trusting every hop lets clients forge their address.',
    );
  return value;
}

/**
 * Hours a sign-in lasts at most, however active: 12 unless set; 1 to 8760 (a year).
 * @param {NodeJS.ProcessEnv} env
 */
function sessionAbsoluteHours(env) {
  const hours = integer(env, 'SESSION_ABSOLUTE_HOURS') ?? 12;
  if (hours < 1 || hours > 8760) throw new Error(`SESSION_ABSOLUTE_HOURS must be 1 to 8760; got ${hours}.`);
  return hours;
}

/**
 * @param {NodeJS.ProcessEnv} env
 * @param {string} name
 */
function integer(env, name) {
  const value = env[name];
  if (value === undefined || value === '') return undefined;
  if (!/^\d+$/.test(value)) throw new Error(`${name} must be a whole number; got ${JSON.stringify(value)}.`);
  return Number(value);
}

module.exports = { readConfig };
