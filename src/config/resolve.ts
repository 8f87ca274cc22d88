// Turns the public options into the configuration the routes read, once, failing loudly on mistakes.
import type { MfaConfig, MfaLogger, MfaOptions } from '../options';
import type { MfaProvider } from '../bandwidth/types';
import { MAP_STORE_METHODS, STORE_METHODS, type MfaStore } from '../stores/types';
import { hasMaps } from '../stores/maps';
import { createBandwidthClient } from '../bandwidth/client';
import { BASIC_AUTH_RETIREMENT, DEFAULT_MAX_SOCKETS } from '../bandwidth/options';
import { Messages, builtInCatalogues } from '../messages';
import { Slots } from '../slots';
import { describe, fail, integerIn, optionalFunction, pathOption, rejectUnknownKeys } from './checks';
import { checkScope, checkTemplate } from './templates';
import { resolveTrustedDevices } from './trusted-devices';
import { resolveMessageOverrides } from './messages';
import { guardedEmit, guardedLocale } from './hooks';
import { resolveEnrolment, resolvePhoneNumbers, resolveRecoveryCodes, warnIfNowhereToEnrol } from './lifecycle';
import { channelsOf } from './channels';
import { resolveMetrics } from './metrics';
import { timedProvider } from '../metrics/provider';
import { USE_LOGGER, type SandboxProvider } from '../sandbox/provider';
import { resolveTrustedOrigins } from './origins';
import { resolvePasskeys } from './passkeys';
import { resolveSendBudgets } from './send-budgets';
import { LOG_PREFIX } from '../log-prefix';

const KNOWN_OPTIONS = [
  'bandwidth',
  'getUser',
  'store',
  'digits',
  'codeTtlMinutes',
  'messageTemplate',
  'scope',
  'resendCooldownSeconds',
  'maxSendsPerHour',
  'maxSendsPerNumberPerHour',
  'sendBudgets',
  'maxAttempts',
  'lockoutSeconds',
  'maxLockoutSeconds',
  'maxConsecutiveFailures',
  'providerLockoutSeconds',
  'providerRetryAfterSeconds',
  'providerConcurrency',
  'workConcurrency',
  'workQueueTimeoutMs',
  'loginPath',
  'challengePath',
  'defaultRedirect',
  'onEvent',
  'notify',
  'logger',
  'locale',
  'messages',
  'trustedOrigins',
  'trustedDevices',
  'phoneNumbers',
  'enrolment',
  'recoveryCodes',
  'metrics',
  'passkeys',
] as const;

/** Without `bandwidth.maxSockets` (a default client, or a custom provider), the bound is the client's default pool. */
const DEFAULT_PROVIDER_CONCURRENCY = DEFAULT_MAX_SOCKETS;

/** Sends and verifies at work at once: measured in `npm run bench`'s login storm (docs/performance.md). */
export const DEFAULT_WORK_CONCURRENCY = 2;

export function resolveOptions(options: MfaOptions): MfaConfig {
  if (typeof options !== 'object' || options === null)
    fail('`createMfa()` and `middleware()` need an options object with `bandwidth`, `getUser` and `store`.');
  rejectUnknownKeys('', options, KNOWN_OPTIONS);

  const logger = resolveLogger(options.logger);
  const getUser = optionalFunction<MfaOptions['getUser']>('getUser', options.getUser);
  if (!getUser)
    fail('`getUser` is required: a function `(req) => ({ id, phoneNumber }) | null` that reads the signed-in user from your own records.');
  const onEvent = optionalFunction<NonNullable<MfaOptions['onEvent']>>('onEvent', options.onEvent);
  const notify = optionalFunction<NonNullable<MfaOptions['notify']>>('notify', options.notify);
  const pickLocale = optionalFunction<NonNullable<MfaOptions['locale']>>('locale', options.locale);
  const messages = new Messages(builtInCatalogues, resolveMessageOverrides(options.messages));
  // Loaded and created here, once: the request path only calls instruments that already exist.
  const metrics = resolveMetrics(options.metrics, logger);
  const bareProvider = resolveProvider(options.bandwidth, logger);
  const provider = metrics ? timedProvider(bareProvider, metrics) : bareProvider;
  const emit = guardedEmit(onEvent, logger, notify);
  const lockoutSeconds = integerIn('lockoutSeconds', options.lockoutSeconds, 900, 10, 86_400);
  const enrolment = resolveEnrolment(options.enrolment);
  warnIfNowhereToEnrol(options.enrolment, logger);
  const trustedDevices = resolveTrustedDevices(options.trustedDevices);

  return {
    provider,
    getUser,
    store: resolveStore(options.store, trustedDevices !== undefined),
    digits: integerIn('digits', options.digits, 6, 6, 8, 'NIST SP 800-63B asks for at least 6 digits; Bandwidth allows at most 8.'),
    codeTtlSeconds: 60 * integerIn('codeTtlMinutes', options.codeTtlMinutes, 5, 1, 10, 'A short life limits what a stolen code is worth.'),
    messageTemplate: options.messageTemplate === undefined ? undefined : checkTemplate('messageTemplate', options.messageTemplate),
    scope: options.scope === undefined ? '2FA' : checkScope('scope', options.scope),
    resendCooldownSeconds: integerIn('resendCooldownSeconds', options.resendCooldownSeconds, 30, 1, 3600),
    maxSendsPerHour: integerIn('maxSendsPerHour', options.maxSendsPerHour, 5, 1, 100, 'A low cap limits SMS pumping fraud.'),
    ...resolveSendBudgets(options, logger),
    maxAttempts: integerIn(
      'maxAttempts',
      options.maxAttempts,
      5,
      1,
      20,
      'NIST SP 800-63B allows at most 100 failed attempts; a handful is plenty for a code.',
    ),
    lockoutSeconds,
    maxLockoutSeconds: integerIn(
      'maxLockoutSeconds',
      options.maxLockoutSeconds,
      Math.max(86_400, lockoutSeconds),
      lockoutSeconds,
      30 * 86_400,
      'It caps the doubling of lockouts and cannot be shorter than `lockoutSeconds`.',
    ),
    maxConsecutiveFailures: integerIn(
      'maxConsecutiveFailures',
      options.maxConsecutiveFailures,
      100,
      1,
      100,
      'NIST SP 800-63B §5.2.2 allows at most 100 consecutive failed attempts before an account is held.',
    ),
    providerLockoutSeconds: integerIn('providerLockoutSeconds', options.providerLockoutSeconds, 120, 1, 86_400),
    providerRetryAfterSeconds: integerIn('providerRetryAfterSeconds', options.providerRetryAfterSeconds, 30, 1, 3600),
    providerSlots: new Slots(
      integerIn(
        'providerConcurrency',
        options.providerConcurrency,
        defaultConcurrency(options.bandwidth),
        1,
        10_000,
        'Size it to the sockets the Bandwidth client may open (`bandwidth.maxSockets`).',
      ),
    ),
    workSlots: new Slots(
      integerIn(
        'workConcurrency',
        options.workConcurrency,
        DEFAULT_WORK_CONCURRENCY,
        1,
        1000,
        'A handful keeps the other routes fast during a login storm; the Bandwidth calls themselves are not counted.',
      ),
    ),
    workQueueTimeoutMs: integerIn('workQueueTimeoutMs', options.workQueueTimeoutMs, 2000, 1, 60_000),
    loginPath: pathOption('loginPath', options.loginPath, '/login'),
    challengePath: pathOption('challengePath', options.challengePath, '/2fa'),
    defaultRedirect: pathOption('defaultRedirect', options.defaultRedirect, '/'),
    emit: metrics ? (event, req) => (metrics.event(event), emit(event, req)) : emit,
    logger,
    locale: guardedLocale(pickLocale, messages, logger),
    messages,
    trustedOrigins: resolveTrustedOrigins(options.trustedOrigins),
    trustedDevices,
    phoneNumbers: resolvePhoneNumbers(options.phoneNumbers),
    ...enrolment,
    recoveryCodes: resolveRecoveryCodes(options.recoveryCodes),
    channels: channelsOf(options.bandwidth),
    metrics,
    passkeys: resolvePasskeys(options.passkeys),
  };
}

function resolveProvider(bandwidth: unknown, logger: MfaLogger): MfaProvider {
  if (typeof bandwidth !== 'object' || bandwidth === null) {
    fail('`bandwidth` is required: your account id, credentials (`oauth: { clientId, clientSecret }`), application ids and `from` number.');
  }
  const candidate = bandwidth as Partial<MfaProvider>;
  if (typeof candidate.sendCode === 'function' && typeof candidate.verifyCode === 'function') {
    (candidate as Partial<SandboxProvider>)[USE_LOGGER]?.(logger);
    return candidate as MfaProvider;
  }
  const client = createBandwidthClient(bandwidth as Parameters<typeof createBandwidthClient>[0]);
  if ((bandwidth as { basic?: unknown }).basic !== undefined) warnBasicAuthRetirement(logger);
  return client;
}

/** Bandwidth retires API-user credentials on 2026-12-02: say so at start-up, loudly once it has happened. */
function warnBasicAuthRetirement(logger: MfaLogger, now = Date.now()): void {
  const days = Math.ceil((BASIC_AUTH_RETIREMENT.getTime() - now) / 86_400_000);
  const fix =
    'Create OAuth2 client credentials in the Bandwidth App and pass `bandwidth.oauth: { clientId, clientSecret }` instead of `bandwidth.basic`.';
  if (days > 0)
    logger.warn(
      `${LOG_PREFIX}Bandwidth stops accepting username/password (API user) credentials on 2026-12-02, in ${days} day${days === 1 ? '' : 's'}. ${fix}`,
    );
  else
    logger.error(
      `${LOG_PREFIX}Bandwidth no longer accepts username/password (API user) credentials since 2026-12-02; expect every call to fail. ${fix}`,
    );
}

function defaultConcurrency(bandwidth: unknown): number {
  const sockets = (bandwidth as { maxSockets?: unknown } | undefined)?.maxSockets;
  return typeof sockets === 'number' && Number.isInteger(sockets) && sockets >= 1
    ? Math.min(sockets, 10_000)
    : DEFAULT_PROVIDER_CONCURRENCY;
}

function resolveStore(store: unknown, needsMaps: boolean): MfaStore {
  const missing = STORE_METHODS.filter((name) => typeof (store as Record<string, unknown> | undefined)?.[name] !== 'function');
  if (store === undefined)
    fail('`store` is required: `redisStore(redis)` so lockouts hold across app instances, or `memoryStore()` for a single process.');
  if (missing.length > 0)
    fail(
      `\`store\` must implement ${STORE_METHODS.join(', ')}; missing ${missing.join(', ')}. Use \`redisStore(redis)\` or \`memoryStore()\`, or check your own store with \`checkStoreContract\` from express-bandwidth-mfa/testing.`,
    );
  if (needsMaps && !hasMaps(store as MfaStore)) {
    fail(
      `Trusted browsers (on by default) need a store that also implements ${MAP_STORE_METHODS.join(', ')} (\`MfaMapStore\`); add them, or pass \`trustedDevices: false\`.`,
    );
  }
  return store as MfaStore;
}

function resolveLogger(logger: unknown): MfaLogger {
  if (logger === undefined) return console;
  const candidate = logger as Partial<MfaLogger>;
  if (typeof candidate.warn !== 'function' || typeof candidate.error !== 'function') {
    fail(`\`logger\` must have \`warn(message)\` and \`error(message)\` methods; got ${describe(logger)}.`);
  }
  return candidate as MfaLogger;
}
