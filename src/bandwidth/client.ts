// Bandwidth's MFA API over axios: keep-alive sockets, one deadline per call, no retries, every failure a BandwidthError.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import { callDeadline, within } from './deadline';
import { Slots } from '../slots';
import type { MfaProvider, SendCodeRequest, SendCodeResult, VerifyCodeRequest } from './types';
import { errorFromResponse, errorFromTransport, requireField } from './answers';
import { createAuthorizer } from './auth';
import { BandwidthError, type BandwidthErrorDetails } from './errors';
import { validateBandwidthOptions, type BandwidthOptions } from './options';

export interface BandwidthClient extends MfaProvider {
  /** Closes the kept-alive sockets (tests, graceful shutdown). */
  close(): void;
}

export function createBandwidthClient(options: BandwidthOptions): BandwidthClient {
  const config = validateBandwidthOptions(options);
  const api = axiosOver(config.maxSockets);
  // One socket is enough for tokens: they are fetched one at a time.
  const tokens = axiosOver(1);
  const authorizer = createAuthorizer(config.auth, tokens.client, config.timeoutMs);
  const slots = new Slots(config.maxSockets);
  const accountPath = `${config.baseUrl}/accounts/${encodeURIComponent(config.accountId)}`;

  async function post(path: string, body: object, operation: BandwidthErrorDetails['operation']): Promise<AxiosResponse> {
    const deadline = callDeadline(config.timeoutMs);
    try {
      const authorization = await within(authorizer.header(), deadline.startWithinMs());
      if (authorization === undefined) throw unsent(operation);
      const release = await slots.acquire(deadline.startWithinMs());
      if (!release) throw unsent(operation);
      try {
        // Exactly one attempt: a retried send could deliver and bill a second code. The signal destroys the
        // request wherever it is at the deadline, so nothing of it is written afterwards.
        const response = await api.client
          .post(`${accountPath}${path}`, JSON.stringify(body), {
            headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' },
            signal: deadline.exchangeSignal(),
          })
          .catch((error: unknown) => {
            throw errorFromTransport(error, operation);
          });
        if (response.status === 401 || response.status === 403) authorizer.forget();
        if (response.status < 200 || response.status >= 300) throw errorFromResponse(response, operation);
        return response;
      } finally {
        release();
      }
    } finally {
      deadline.end();
    }
  }

  return {
    async sendCode(request: SendCodeRequest): Promise<SendCodeResult> {
      const voice = request.channel === 'voice';
      const operation = voice ? 'send_voice' : 'send_sms';
      const applicationId = voice ? config.voiceApplicationId : config.messagingApplicationId;
      if (!applicationId)
        throw new BandwidthError({ kind: 'bad_request', operation, providerMessage: 'no voiceApplicationId is configured' });
      const response = await post(
        voice ? '/code/voice' : '/code/messaging',
        {
          to: request.to,
          from: config.from,
          applicationId,
          scope: request.scope,
          message: request.message,
          digits: request.digits,
        },
        operation,
      );
      return { id: requireField(response, voice ? 'callId' : 'messageId', 'string', operation) };
    },

    async verifyCode(request: VerifyCodeRequest): Promise<boolean> {
      const response = await post(
        '/code/verify',
        {
          to: request.to,
          scope: request.scope,
          code: request.code,
          expirationTimeInMinutes: request.expirationTimeInMinutes,
        },
        'verify',
      );
      return requireField(response, 'valid', 'boolean', 'verify') === true;
    },

    close() {
      api.destroy();
      tokens.destroy();
    },
  };
}

/** The call gave up before it was written: a timeout, but one that certainly sent nothing. */
function unsent(operation: BandwidthErrorDetails['operation']): BandwidthError {
  return new BandwidthError({ kind: 'timeout', operation, neverSent: true });
}

/** An axios instance on keep-alive agents of its own; the deadline comes with each call (no axios timeout). */
function axiosOver(maxSockets: number): { client: AxiosInstance; destroy(): void } {
  const httpAgent = new http.Agent({ keepAlive: true, maxSockets });
  const httpsAgent = new https.Agent({ keepAlive: true, maxSockets });
  const client = axios.create({
    httpAgent,
    httpsAgent,
    // Status codes are read by us; redirects are refused so credentials never follow one.
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: 64 * 1024,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    proxy: false,
  });
  return {
    client,
    destroy() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
