// What a Bandwidth failure means for the user: never access, sometimes a lockout, always a clear 5xx or 429.
import { isBandwidthError } from '../bandwidth/errors';
import { MfaError } from '../errors';
import type { MfaConfig } from '../options';
import type { FlowContext } from './context';
import { lockForProvider } from './lockout';
import { warningBursts, type WarningBursts } from './warning-bursts';
import { LOG_PREFIX } from '../log-prefix';

/** One counter of bursts per configuration: an outage fails every request alike, the log says it once. */
const burstsByConfig = new WeakMap<MfaConfig, WarningBursts>();

export function providerWarnings(config: MfaConfig): WarningBursts {
  let bursts = burstsByConfig.get(config);
  if (!bursts) burstsByConfig.set(config, (bursts = warningBursts(config.logger)));
  return bursts;
}

export async function providerFailure(ctx: FlowContext, error: unknown, scope: string): Promise<MfaError> {
  const { config, user, maskedPhoneNumber } = ctx;
  if (!isBandwidthError(error)) {
    const kind = `the provider call failed unexpectedly (${(error as Error)?.name ?? 'error'})`;
    providerWarnings(config).report(kind, `${LOG_PREFIX}${kind}.`, 'error');
    return new MfaError('provider_unavailable', { retryAfterSeconds: config.providerRetryAfterSeconds }, { status: 502 });
  }
  config.emit(
    { type: 'provider_error', userId: user.id, maskedPhoneNumber, scope, reason: error.kind, requestId: error.requestId },
    ctx.req,
  );

  if (error.kind === 'rate_limited') {
    // Bandwidth stops verifying this number for a while: mirror it, so no instance keeps calling meanwhile.
    return lockForProvider(ctx, error.retryAfterSeconds ?? config.providerLockoutSeconds);
  }
  const retryAfterSeconds = config.providerRetryAfterSeconds;
  if (error.kind === 'unauthorized' || error.kind === 'bad_request') {
    providerWarnings(config).report(
      `Bandwidth refused the ${error.operation} request (${error.kind})`,
      `${LOG_PREFIX}Bandwidth refused the ${error.operation} request (${error.message}${error.requestId ? `, requestId ${error.requestId}` : ''}). ` +
        (error.kind === 'unauthorized'
          ? 'Check bandwidth.accountId and the credentials, and that the account has MFA enabled.'
          : "Check the application ids, the from number and the user's phone number."),
      'error',
    );
    return new MfaError('provider_misconfigured', { retryAfterSeconds });
  }
  const status = error.kind === 'timeout' ? 504 : error.kind === 'network' ? 503 : 502;
  providerWarnings(config).report(
    `Bandwidth ${error.operation} failed (${error.kind})`,
    `${LOG_PREFIX}Bandwidth ${error.operation} failed (${error.kind}${error.requestId ? `, requestId ${error.requestId}` : ''}).`,
  );
  return new MfaError('provider_unavailable', { retryAfterSeconds }, { status });
}

/**
 * True only when no code can have gone out: the request never left, or Bandwidth itself refused it.
 * Anything else (a gateway's 502/503/504, a 5xx, a timeout, a reset) may come after Bandwidth sent the
 * code, so the cooldown and the counts stand.
 */
export function certainlyNotSent(error: unknown): boolean {
  if (!isBandwidthError(error)) return false;
  // A call that gave up waiting for a token or a socket was never written.
  if (error.neverSent === true) return true;
  // A refusal before any HTTP (bad input, no token) sent nothing either.
  if (error.status === undefined) return error.kind === 'bad_request' || error.operation === 'token';
  // A 4xx in Bandwidth's own error format is Bandwidth refusing the request; a gateway's 4xx or 5xx proves nothing.
  return error.status >= 400 && error.status < 500 && error.fromBandwidth === true;
}

/** Every provider slot of this process is taken: refuse at once, before any state changed. */
export function providerBusy(config: MfaConfig): MfaError {
  providerWarnings(config).report(
    'a send or verify was refused: every provider slot is taken',
    `${LOG_PREFIX}${config.providerSlots.limit} Bandwidth calls are in flight (providerConcurrency); sends and verifies are refused with 503 until one ends.`,
  );
  return new MfaError('provider_unavailable', { retryAfterSeconds: config.providerRetryAfterSeconds });
}
