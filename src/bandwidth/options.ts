// The Bandwidth account settings the client needs, checked once with messages that say what to change.
import { fail, integerIn, rejectUnknownKeys } from '../config/checks';
import { isE164 } from '../phone/e164';

export const BANDWIDTH_BASE_URL = 'https://mfa.bandwidth.com/api/v1';
export const BANDWIDTH_TOKEN_URL = 'https://api.bandwidth.com/api/v1/oauth2/token';
/** Bandwidth retires API-user (username/password) credentials on this day; OAuth2 is the only way after it. */
export const BASIC_AUTH_RETIREMENT = new Date('2026-12-02T00:00:00Z');
export const DEFAULT_TIMEOUT_MS = 10_000;
/**
 * Enough calls in flight for one instance's share of a login storm at Bandwidth's usual latency: at 300 ms,
 * 200 sockets carry about 650 calls a second, more than one app process serves (bench/results.md).
 */
export const DEFAULT_MAX_SOCKETS = 200;

export interface BandwidthOAuthCredentials {
  clientId: string;
  clientSecret: string;
  /** Token endpoint. Default `https://api.bandwidth.com/api/v1/oauth2/token`. */
  tokenUrl?: string;
}

export interface BandwidthBasicCredentials {
  username: string;
  password: string;
}

export interface BandwidthOptions {
  /** Your Bandwidth account id, e.g. `"9900000"`. Required. */
  accountId: string;
  /** OAuth2 client credentials. Give this or `basic`; `basic` stops working on 2026-12-02. */
  oauth?: BandwidthOAuthCredentials;
  /** Legacy API user. Retired by Bandwidth on 2026-12-02: use `oauth`. */
  basic?: BandwidthBasicCredentials;
  /** Messaging application id, for SMS codes. Required. */
  messagingApplicationId: string;
  /** Voice application id, for voice codes. Without it, `channel: "voice"` is refused. */
  voiceApplicationId?: string;
  /** Your Bandwidth number, E.164, that sends the code. Required. */
  from: string;
  /** Default `https://mfa.bandwidth.com/api/v1`; the emulator's `baseUrl` in tests. */
  baseUrl?: string;
  /**
   * Longest a call may take, in milliseconds, from the moment it is made: waiting for a token and a socket
   * counts too. A call that could not start within half of it is refused unsent. Default 10000.
   */
  timeoutMs?: number;
  /** Keep-alive sockets kept open to Bandwidth: calls in flight at once. Default 200. */
  maxSockets?: number;
}

export interface ResolvedBandwidthOptions {
  accountId: string;
  auth: { kind: 'oauth'; clientId: string; clientSecret: string; tokenUrl: string } | { kind: 'basic'; username: string; password: string };
  messagingApplicationId: string;
  voiceApplicationId?: string;
  from: string;
  baseUrl: string;
  timeoutMs: number;
  maxSockets: number;
}

const KNOWN = ['accountId', 'oauth', 'basic', 'messagingApplicationId', 'voiceApplicationId', 'from', 'baseUrl', 'timeoutMs', 'maxSockets'];

export function validateBandwidthOptions(options: BandwidthOptions): ResolvedBandwidthOptions {
  if (typeof options !== 'object' || options === null)
    fail('`bandwidth` must be an object with accountId, oauth, messagingApplicationId and from.');
  rejectUnknownKeys('bandwidth.', options, KNOWN);
  const accountId = requiredText('accountId', options.accountId, 64, 'the account id shown in the Bandwidth App, e.g. "9900000"');
  if (!/^[A-Za-z0-9_-]+$/.test(accountId)) fail('`bandwidth.accountId` may contain only letters, digits, `-` and `_`.');
  const messagingApplicationId = requiredText(
    'messagingApplicationId',
    options.messagingApplicationId,
    50,
    'the id of your messaging application',
  );
  const voiceApplicationId =
    options.voiceApplicationId === undefined
      ? undefined
      : requiredText('voiceApplicationId', options.voiceApplicationId, 50, 'the id of your voice application');
  if (!isE164(options.from)) {
    fail('`bandwidth.from` must be your Bandwidth number in E.164 form, such as "+19195550100".');
  }
  return {
    accountId,
    auth: resolveAuth(options),
    messagingApplicationId,
    voiceApplicationId,
    from: options.from,
    baseUrl: urlOption('baseUrl', options.baseUrl, BANDWIDTH_BASE_URL),
    timeoutMs: integerIn('bandwidth.timeoutMs', options.timeoutMs, DEFAULT_TIMEOUT_MS, 100, 60_000),
    maxSockets: integerIn('bandwidth.maxSockets', options.maxSockets, DEFAULT_MAX_SOCKETS, 1, 1000),
  };
}

function resolveAuth(options: BandwidthOptions): ResolvedBandwidthOptions['auth'] {
  const { oauth, basic } = options;
  if (oauth !== undefined && basic !== undefined) fail('give `bandwidth.oauth` or `bandwidth.basic`, not both. Prefer `oauth`.');
  if (oauth !== undefined) {
    if (typeof oauth !== 'object' || oauth === null) fail('`bandwidth.oauth` must be `{ clientId, clientSecret }`.');
    rejectUnknownKeys('bandwidth.oauth.', oauth, ['clientId', 'clientSecret', 'tokenUrl']);
    return {
      kind: 'oauth',
      clientId: secret('oauth.clientId', oauth.clientId),
      clientSecret: secret('oauth.clientSecret', oauth.clientSecret),
      tokenUrl: urlOption('oauth.tokenUrl', oauth.tokenUrl, BANDWIDTH_TOKEN_URL),
    };
  }
  if (basic !== undefined) {
    if (typeof basic !== 'object' || basic === null) fail('`bandwidth.basic` must be `{ username, password }`.');
    rejectUnknownKeys('bandwidth.basic.', basic, ['username', 'password']);
    return { kind: 'basic', username: secret('basic.username', basic.username), password: secret('basic.password', basic.password) };
  }
  return fail('`bandwidth.oauth: { clientId, clientSecret }` is required (create OAuth2 client credentials in the Bandwidth App).');
}

function requiredText(name: string, value: unknown, maxLength: number, what: string): string {
  if (typeof value !== 'string' || value.trim() === '' || value.length > maxLength) {
    fail(`\`bandwidth.${name}\` must be ${what}, a string of 1–${maxLength} characters.`);
  }
  return value;
}

/** Credentials are checked without ever quoting them back. */
function secret(name: string, value: unknown): string {
  if (typeof value !== 'string' || value === '')
    fail(`\`bandwidth.${name}\` must be a non-empty string (read it from your secret store, not from code).`);
  return value;
}

function urlOption(name: string, value: unknown, fallback: string): string {
  if (value === undefined) return fallback;
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  const loopback = url !== undefined && ['localhost', '127.0.0.1', '[::1]'].includes(url.hostname);
  if (!url || !(url.protocol === 'https:' || (url.protocol === 'http:' && loopback))) {
    fail(`\`bandwidth.${name}\` must be an https URL (plain http only on localhost, for the emulator); default ${fallback}.`);
  }
  return url.toString().replace(/\/+$/, '');
}
