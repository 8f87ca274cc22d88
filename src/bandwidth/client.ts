// Bandwidth's MFA API over axios: one keep-alive agent, no retries, every failure a BandwidthError.
import http from 'node:http';
import https from 'node:https';
import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
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
  const agentOptions = { keepAlive: true, maxSockets: config.maxSockets };
  const httpAgent = new http.Agent(agentOptions);
  const httpsAgent = new https.Agent(agentOptions);
  const client: AxiosInstance = axios.create({
    httpAgent,
    httpsAgent,
    timeout: config.timeoutMs,
    // Status codes are read by us; redirects are refused so credentials never follow one.
    validateStatus: () => true,
    maxRedirects: 0,
    maxContentLength: 64 * 1024,
    responseType: 'text',
    transformResponse: [(data: unknown) => data],
    proxy: false,
  });
  const authorizer = createAuthorizer(config.auth, client, config.timeoutMs);
  const accountPath = `${config.baseUrl}/accounts/${encodeURIComponent(config.accountId)}`;

  async function post(path: string, body: object, operation: BandwidthErrorDetails['operation']): Promise<AxiosResponse> {
    const authorization = await authorizer.header();
    // Exactly one attempt: a retried send could deliver and bill a second code.
    const response = await client.post(`${accountPath}${path}`, JSON.stringify(body), {
      headers: { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' },
    }).catch((error) => {
      throw errorFromTransport(error, operation);
    });
    if (response.status === 401 || response.status === 403) authorizer.forget();
    if (response.status < 200 || response.status >= 300) throw errorFromResponse(response, operation);
    return response;
  }

  return {
    async sendCode(request: SendCodeRequest): Promise<SendCodeResult> {
      const voice = request.channel === 'voice';
      const operation = voice ? 'send_voice' : 'send_sms';
      const applicationId = voice ? config.voiceApplicationId : config.messagingApplicationId;
      if (!applicationId) throw new BandwidthError({ kind: 'bad_request', operation, providerMessage: 'no voiceApplicationId is configured' });
      const response = await post(voice ? '/code/voice' : '/code/messaging', {
        to: request.to,
        from: config.from,
        applicationId,
        scope: request.scope,
        message: request.message,
        digits: request.digits,
      }, operation);
      return { id: requireField(response, voice ? 'callId' : 'messageId', 'string', operation) };
    },

    async verifyCode(request: VerifyCodeRequest): Promise<boolean> {
      const response = await post('/code/verify', {
        to: request.to,
        scope: request.scope,
        code: request.code,
        expirationTimeInMinutes: request.expirationTimeInMinutes,
      }, 'verify');
      return requireField(response, 'valid', 'boolean', 'verify') === true;
    },

    close() {
      httpAgent.destroy();
      httpsAgent.destroy();
    },
  };
}
