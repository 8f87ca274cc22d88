// Bandwidth's MFA API: keep-alive sockets, one deadline per call, no retries, every failure a BandwidthError.
import { callDeadline, within } from './deadline';
import { exchangerOver, type Answer } from './exchange';
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
  const api = exchangerOver(config.maxSockets);
  // One socket is enough for tokens: they are fetched one at a time.
  const tokens = exchangerOver(1);
  const authorizer = createAuthorizer(config.auth, tokens, config.timeoutMs);
  const slots = new Slots(config.maxSockets);
  const accountPath = `${config.baseUrl}/accounts/${encodeURIComponent(config.accountId)}`;
  const urls = {
    messaging: new URL(`${accountPath}/code/messaging`),
    voice: new URL(`${accountPath}/code/voice`),
    verify: new URL(`${accountPath}/code/verify`),
  };

  async function post(url: URL, body: object, operation: BandwidthErrorDetails['operation']): Promise<Answer> {
    const deadline = callDeadline(config.timeoutMs);
    try {
      const authorization = await within(authorizer.header(), deadline.startWithinMs());
      if (authorization === undefined) throw unsent(operation);
      const release = await slots.acquire(deadline.startWithinMs());
      if (!release) throw unsent(operation);
      try {
        // Exactly one attempt: a retried send could deliver and bill a second code. The signal destroys the
        // request wherever it is at the deadline, so nothing of it is written afterwards.
        const response = await api
          .post(url, JSON.stringify(body), jsonHeaders(authorization), deadline.exchangeSignal())
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
        voice ? urls.voice : urls.messaging,
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
        urls.verify,
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

/** What every MFA call sends besides its body. */
function jsonHeaders(authorization: string): Record<string, string> {
  return { Authorization: authorization, 'Content-Type': 'application/json', Accept: 'application/json' };
}
