// The createMfa() options of the app and of the operator command alike: one place wires the library to the accounts.
'use strict';

const { ADMIN_PATH, CHALLENGE_PATH, ENROL_PATH, LOGIN_PATH, RECOVERY_CODES_PATH } = require('./paths');

const LOGIN_SCOPE = '2FA';

/**
 * @param {object} deps
 * @param {import('./config').Config} deps.config
 * @param {import('./db').Accounts} deps.accounts
 * @param {import('express-bandwidth-mfa').MfaOptions['bandwidth']} deps.bandwidth  Bandwidth settings, or a provider object
 * @param {import('express-bandwidth-mfa').MfaStore} deps.store  the library's store (Redis or memory)
 * @param {string} deps.recoveryCodeSecret  lib/recovery-code-secret.js
 * @param {{ log(m: string): void, warn(m: string): void, error(m: string): void }} deps.logger
 * @param {import('@opentelemetry/sdk-metrics').MeterProvider} [deps.meterProvider]  lib/metrics.js; the operator command records no metrics
 * @param {import('express-bandwidth-mfa').MfaOptions['notify']} [deps.notify]  lib/notifications.js: history and e-mail of each security notice
 * @returns {import('express-bandwidth-mfa').MfaOptions}
 */
function mfaOptions({ config, accounts, bandwidth, store, recoveryCodeSecret, logger, meterProvider, notify }) {
  return {
    bandwidth,
    store,
    // The number comes from the accounts table only; null until the user enrols one (the library then sends them to enrol).
    // The sign-in time (lib/session-lifetime.js) lets the library refuse enrolment to sessions older than a reset.
    getUser: async (req) => {
      const userId = req.session?.userId;
      const user = typeof userId === 'string' ? await accounts.findById(userId) : undefined;
      return user ? { id: user.id, phoneNumber: user.phoneNumber ?? null, signedInAt: req.session.signedInAt, name: user.username } : null;
    },
    scope: LOGIN_SCOPE,
    loginPath: LOGIN_PATH,
    challengePath: CHALLENGE_PATH,
    defaultRedirect: ADMIN_PATH,
    ...definedOnly(config.mfa),
    // "Trust this browser": a signed cookie that skips the sign-in code (never a step-up) for N days.
    trustedDevices: config.trustedDeviceDays > 0 ? { days: config.trustedDeviceDays } : false,
    // ALLOWED_COUNTRIES: any other destination is refused before Bandwidth is called.
    phoneNumbers: {
      defaultCountry: config.defaultCountry,
      ...(config.allowedCountries ? { allowedCountries: config.allowedCountries } : {}),
    },
    enrolment: {
      savePhoneNumber: (userId, phoneNumber) => accounts.setPhoneNumber(userId, phoneNumber),
      // Every account of this app must have a second factor before /admin.
      required: true,
      path: ENROL_PATH,
      maxAgeSeconds: config.sensitiveMaxAgeSeconds,
      recoveryCodesPath: RECOVERY_CODES_PATH,
    },
    recoveryCodes: {
      secret: recoveryCodeSecret,
      saveRecoveryCodes: (userId, hashes) => accounts.replaceRecoveryCodes(userId, hashes),
      consumeRecoveryCode: (userId, hash) => accounts.consumeRecoveryCode(userId, hash),
      countRecoveryCodes: (userId) => accounts.countRecoveryCodes(userId),
    },
    // Passkeys next to SMS, stored in their own table (lib/db/passkeys.js); off when PASSKEY_RP_ID is not set in production.
    ...(config.passkeys
      ? {
          passkeys: {
            ...config.passkeys,
            listPasskeys: (userId) => accounts.listPasskeys(userId),
            savePasskey: (userId, passkey) => accounts.savePasskey(userId, passkey),
            updatePasskeyCounter: (userId, credentialId, counter, lastUsedAt) =>
              accounts.updatePasskeyCounter(userId, credentialId, counter, lastUsedAt),
            removePasskey: (userId, credentialId) => accounts.removePasskey(userId, credentialId),
          },
        }
      : {}),
    logger,
    metrics: meterProvider ?? false,
    onEvent: (event) => logger.log(auditLine(event)),
    ...(notify ? { notify } : {}),
  };
}

/**
 * One line per event. Events carry masked numbers only and never a code; the line keeps to ids and reasons.
 * @param {import('express-bandwidth-mfa').MfaEvent} event
 */
function auditLine(event) {
  const fields = [
    ['user', event.userId],
    ['scope', event.scope],
    ['reason', event.reason],
    ['actor', event.actor],
    ['device', event.deviceId],
    ['left', event.recoveryCodesLeft],
    ['credential', event.credentialId],
    ['ip', event.ip],
  ];
  return `mfa ${event.type}${fields
    .filter(([, value]) => value !== undefined)
    .map(([name, value]) => ` ${name}=${value}`)
    .join('')}`;
}

/**
 * @param {import('./config').Config['mfa']} object
 * @returns {Partial<import('./config').Config['mfa']>} its entries whose value is not undefined
 */
function definedOnly(object) {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined));
}

module.exports = { mfaOptions, LOGIN_SCOPE };
