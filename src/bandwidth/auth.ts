// The Authorization header: Basic for legacy API users, or a cached OAuth2 client-credentials token.
import { errorFromResponse, errorFromTransport, jsonObject } from './answers';
import { BandwidthError } from './errors';
import type { Exchanger } from './exchange';
import type { ResolvedBandwidthOptions } from './options';

/** Renew this long before Bandwidth says the token expires, so no call goes out with a dying token. */
const EXPIRY_MARGIN_MS = 60_000;

export interface Authorizer {
  header(): Promise<string>;
  /** Called after a 401/403 so the next call fetches a new token. */
  forget(): void;
}

/** `http` is the client's token connection, apart from the MFA calls' sockets so a token never queues behind them. */
export function createAuthorizer(auth: ResolvedBandwidthOptions['auth'], http: Exchanger, timeoutMs: number): Authorizer {
  if (auth.kind === 'basic') {
    const header = `Basic ${Buffer.from(`${auth.username}:${auth.password}`).toString('base64')}`;
    return { header: () => Promise.resolve(header), forget: () => undefined };
  }

  const tokenUrl = new URL(auth.tokenUrl);
  const clientHeader = `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`;
  let cached: { header: string; renewAt: number } | undefined;
  // One token request at a time: a burst of sends after expiry waits for the same fetch.
  let inFlight: Promise<string> | undefined;

  async function fetchToken(): Promise<string> {
    // Its own deadline: the fetch is shared, each waiting call gives up on it by its own deadline instead.
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    const response = await http
      .post(
        tokenUrl,
        'grant_type=client_credentials',
        { Authorization: clientHeader, 'Content-Type': 'application/x-www-form-urlencoded', Accept: 'application/json' },
        controller.signal,
      )
      .catch((error: unknown) => {
        throw errorFromTransport(error, 'token');
      })
      .finally(() => clearTimeout(timer));
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response, 'token');
    const body = jsonObject(response.data);
    const token = body?.access_token;
    const expiresIn = body?.expires_in;
    if (typeof token !== 'string' || token === '')
      throw new BandwidthError({ kind: 'bad_response', status: response.status, operation: 'token' });
    const lifetimeMs = typeof expiresIn === 'number' && expiresIn > 0 ? expiresIn * 1000 : 300_000;
    const header = `Bearer ${token}`;
    cached = { header, renewAt: Date.now() + Math.max(lifetimeMs - EXPIRY_MARGIN_MS, lifetimeMs / 2) };
    return header;
  }

  return {
    async header() {
      if (cached && Date.now() < cached.renewAt) return cached.header;
      inFlight ??= fetchToken().finally(() => {
        inFlight = undefined;
      });
      return inFlight;
    },
    forget() {
      cached = undefined;
    },
  };
}
