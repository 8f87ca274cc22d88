// Wraps the provider once at start-up so every sendCode and verifyCode is timed, by operation and outcome.
import { performance } from 'node:perf_hooks';
import type { MfaProvider } from '../bandwidth/types';
import type { MetricAttributes } from './types';
import type { MfaMetrics } from './instruments';

/** `error.type` as OpenTelemetry's conventions name it: Bandwidth's error kind (`timeout`, `server_error`...), else the error's name. */
function errorType(error: unknown): string {
  const kind = (error as { kind?: unknown } | null | undefined)?.kind;
  if (typeof kind === 'string') return kind;
  return error instanceof Error ? error.name : 'unknown';
}

export function timedProvider(provider: MfaProvider, metrics: MfaMetrics): MfaProvider {
  const timed = async <T>(operation: string, call: () => Promise<T>, outcome: (result: T) => string): Promise<T> => {
    const started = performance.now();
    let attributes: MetricAttributes = { 'mfa.operation': operation, 'mfa.outcome': 'error' };
    try {
      const result = await call();
      attributes = { 'mfa.operation': operation, 'mfa.outcome': outcome(result) };
      return result;
    } catch (error) {
      attributes = { ...attributes, 'error.type': errorType(error) };
      throw error;
    } finally {
      metrics.providerCall((performance.now() - started) / 1000, attributes);
    }
  };
  return {
    sendCode: (request) =>
      timed(
        `send_${request.channel}`,
        () => provider.sendCode(request),
        () => 'sent',
      ),
    // Exactly `true` is a valid code, as the flow reads it.
    verifyCode: (request) =>
      timed(
        'verify',
        () => provider.verifyCode(request),
        (valid) => (valid === true ? 'valid' : 'invalid'),
      ),
  };
}
