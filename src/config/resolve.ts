// Turns the public options into the configuration the routes read, once, failing loudly on mistakes.
import type { Request } from 'express';
import type { MfaConfig, MfaEvent, MfaLogger, MfaOptions } from '../options';
import type { MfaProvider } from '../bandwidth/types';
import type { MfaStore } from '../stores/types';
import { BASIC_AUTH_RETIREMENT, createBandwidthClient } from '../bandwidth';
import { Messages, builtInCatalogues } from '../messages';
import { describe, fail, integerIn, optionalFunction, pathOption, rejectUnknownKeys } from './checks';
import { checkScope, checkTemplate } from './templates';
import { resolveTrustedDevices } from './trusted-devices';

const KNOWN_OPTIONS = [
  'bandwidth', 'getUser', 'store', 'digits', 'codeTtlMinutes', 'messageTemplate', 'scope',
  'resendCooldownSeconds', 'maxSendsPerHour', 'maxAttempts', 'lockoutSeconds', 'providerLockoutSeconds',
  'providerRetryAfterSeconds', 'loginPath', 'challengePath', 'defaultRedirect', 'onEvent', 'logger',
  'locale', 'messages', 'trustedDevices',
] as const;

const STORE_METHODS = ['increment', 'setIfAbsent', 'set', 'get', 'deleteIfEquals', 'delete'] as const;

export function resolveOptions(options: MfaOptions): MfaConfig {
  if (typeof options !== 'object' || options === null) fail('`middleware()` needs an options object with `bandwidth`, `getUser` and `store`.');
  rejectUnknownKeys('', options, KNOWN_OPTIONS);

  const logger = resolveLogger(options.logger);
  const getUser = optionalFunction<MfaOptions['getUser']>('getUser', options.getUser);
  if (!getUser) fail('`getUser` is required: a function `(req) => ({ id, phoneNumber }) | null` that reads the signed-in user from your own records.');
  const onEvent = optionalFunction<NonNullable<MfaOptions['onEvent']>>('onEvent', options.onEvent);
  const pickLocale = optionalFunction<NonNullable<MfaOptions['locale']>>('locale', options.locale);
  const messages = new Messages(builtInCatalogues, resolveMessageOverrides(options.messages));

  return {
    provider: resolveProvider(options.bandwidth, logger),
    getUser,
    store: resolveStore(options.store),
    digits: integerIn('digits', options.digits, 6, 6, 8, 'NIST SP 800-63B asks for at least 6 digits; Bandwidth allows at most 8.'),
    codeTtlSeconds: 60 * integerIn('codeTtlMinutes', options.codeTtlMinutes, 5, 1, 10, 'A short life limits what a stolen code is worth.'),
    messageTemplate: options.messageTemplate === undefined ? undefined : checkTemplate('messageTemplate', options.messageTemplate),
    scope: options.scope === undefined ? '2FA' : checkScope('scope', options.scope),
    resendCooldownSeconds: integerIn('resendCooldownSeconds', options.resendCooldownSeconds, 30, 1, 3600),
    maxSendsPerHour: integerIn('maxSendsPerHour', options.maxSendsPerHour, 5, 1, 100, 'A low cap limits SMS pumping fraud.'),
    maxAttempts: integerIn('maxAttempts', options.maxAttempts, 5, 1, 20, 'NIST SP 800-63B allows at most 100 failed attempts; a handful is plenty for a code.'),
    lockoutSeconds: integerIn('lockoutSeconds', options.lockoutSeconds, 900, 10, 86_400),
    providerLockoutSeconds: integerIn('providerLockoutSeconds', options.providerLockoutSeconds, 120, 1, 86_400),
    providerRetryAfterSeconds: integerIn('providerRetryAfterSeconds', options.providerRetryAfterSeconds, 30, 1, 3600),
    loginPath: pathOption('loginPath', options.loginPath, '/login'),
    challengePath: pathOption('challengePath', options.challengePath, '/2fa'),
    defaultRedirect: pathOption('defaultRedirect', options.defaultRedirect, '/'),
    emit: (event) => {
      if (!onEvent) return;
      try {
        onEvent({ ...event, at: new Date() } as MfaEvent);
      } catch (error) {
        logger.error(`express-bandwidth-mfa: onEvent threw (${(error as Error)?.name ?? 'error'}); the event was dropped.`);
      }
    },
    logger,
    locale: pickLocale ? (req: Request) => pickLocale(req) ?? messages.localeFromRequest(req) : (req: Request) => messages.localeFromRequest(req),
    messages,
    trustedDevices: resolveTrustedDevices(options.trustedDevices),
  };
}

function resolveProvider(bandwidth: unknown, logger: MfaLogger): MfaProvider {
  if (typeof bandwidth !== 'object' || bandwidth === null) {
    fail('`bandwidth` is required: your account id, credentials (`oauth: { clientId, clientSecret }`), application ids and `from` number.');
  }
  const candidate = bandwidth as Partial<MfaProvider>;
  if (typeof candidate.sendCode === 'function' && typeof candidate.verifyCode === 'function') return candidate as MfaProvider;
  const client = createBandwidthClient(bandwidth as Parameters<typeof createBandwidthClient>[0]);
  if ((bandwidth as { basic?: unknown }).basic !== undefined) warnBasicAuthRetirement(logger);
  return client;
}

/** Bandwidth retires API-user credentials on 2026-12-02: say so at start-up, loudly once it has happened. */
function warnBasicAuthRetirement(logger: MfaLogger, now = Date.now()): void {
  const days = Math.ceil((BASIC_AUTH_RETIREMENT.getTime() - now) / 86_400_000);
  const fix = 'Create OAuth2 client credentials in the Bandwidth App and pass `bandwidth.oauth: { clientId, clientSecret }` instead of `bandwidth.basic`.';
  if (days > 0) logger.warn(`express-bandwidth-mfa: Bandwidth stops accepting username/password (API user) credentials on 2026-12-02, in ${days} day${days === 1 ? '' : 's'}. ${fix}`);
  else logger.error(`express-bandwidth-mfa: Bandwidth no longer accepts username/password (API user) credentials since 2026-12-02; expect every call to fail. ${fix}`);
}

function resolveStore(store: unknown): MfaStore {
  const missing = STORE_METHODS.filter((name) => typeof (store as Record<string, unknown> | undefined)?.[name] !== 'function');
  if (store === undefined) fail('`store` is required: `redisStore(redis)` so lockouts hold across app instances, or `memoryStore()` for a single process.');
  if (missing.length > 0) fail(`\`store\` must implement ${STORE_METHODS.join(', ')}; missing ${missing.join(', ')}. Use \`redisStore(redis)\` or \`memoryStore()\`.`);
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

function resolveMessageOverrides(messages: unknown): MfaOptions['messages'] {
  if (messages === undefined) return {};
  if (typeof messages !== 'object' || messages === null || Array.isArray(messages)) {
    fail('`messages` must map locales to sentences, e.g. `{ en: { invalid_code: "Wrong code." } }`.');
  }
  for (const [locale, catalogue] of Object.entries(messages)) {
    for (const key of ['sms_template', 'voice_template'] as const) {
      const template = (catalogue as Record<string, unknown> | undefined)?.[key];
      if (template !== undefined) checkTemplate(`messages.${locale}.${key}`, template);
    }
  }
  return messages as MfaOptions['messages'];
}
