// The library's OpenTelemetry instruments, created once at start-up, and the few calls that record into them.
import type { MfaEvent, MfaLogger } from '../options';
import { onceAMinute } from '../flow/warning-bursts';
import type { MetricAttributes, MetricsCounter, MetricsHistogram, MetricsMeter } from './types';
import { LOG_PREFIX } from '../log-prefix';

/** Bounds for provider latency, seconds: Bandwidth answers in tenths of a second, a timeout takes seconds. */
const LATENCY_BOUNDARIES = [0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

export interface Instruments {
  codesSent: MetricsCounter;
  codesVerified: MetricsCounter;
  refusals: MetricsCounter;
  lockouts: MetricsCounter;
  budgetExceeded: MetricsCounter;
  providerDuration: MetricsHistogram;
}

type CounterName = Exclude<keyof Instruments, 'providerDuration'>;

/** The destination country the send budgets put on their events; `unknown` where an event has none (a range of no country). */
function country(event: Omit<MfaEvent, 'at'>): string {
  const value = (event as { country?: unknown }).country;
  return typeof value === 'string' && value !== '' ? value : 'unknown';
}

const destination = (event: Omit<MfaEvent, 'at'>): MetricAttributes => ({
  'mfa.channel': event.channel ?? 'unknown',
  'mfa.country': country(event),
});
const lockReason = (event: Omit<MfaEvent, 'at'>): MetricAttributes => ({ 'mfa.reason': event.reason ?? 'unknown' });

/** Which events are counted where. One line per event type: the send budgets' events are added the same way. */
const COUNTED_EVENTS: Partial<
  Record<MfaEvent['type'], { counter: CounterName; attributes: (event: Omit<MfaEvent, 'at'>) => MetricAttributes }>
> = {
  code_sent: { counter: 'codesSent', attributes: destination },
  code_verified: { counter: 'codesVerified', attributes: destination },
  locked_out: { counter: 'lockouts', attributes: lockReason },
  account_locked: { counter: 'lockouts', attributes: lockReason },
  send_budget_exceeded: { counter: 'budgetExceeded', attributes: (event) => ({ 'mfa.country': country(event) }) },
};

export function createInstruments(meter: MetricsMeter): Instruments {
  return {
    codesSent: meter.createCounter('mfa.codes.sent', {
      unit: '{code}',
      description: 'Codes the provider accepted to send, by channel and destination country.',
    }),
    codesVerified: meter.createCounter('mfa.codes.verified', {
      unit: '{code}',
      description: 'Codes entered right, by channel and destination country.',
    }),
    refusals: meter.createCounter('mfa.refusals', {
      unit: '{refusal}',
      description: 'Requests the library refused, by the error code it answered.',
    }),
    lockouts: meter.createCounter('mfa.lockouts', {
      unit: '{lockout}',
      description: 'Users locked out, by reason (attempts_exhausted, provider_rate_limited, held).',
    }),
    budgetExceeded: meter.createCounter('mfa.budget.exceeded', {
      unit: '{bucket}',
      description: 'Send budgets that ran out, one per bucket and window, by destination country.',
    }),
    providerDuration: meter.createHistogram('mfa.provider.duration', {
      unit: 's',
      description: 'Time the provider took to answer sendCode and verifyCode, by operation and outcome.',
      advice: { explicitBucketBoundaries: LATENCY_BOUNDARIES },
    }),
  };
}

/** What the flow, the boundary and the provider wrapper call; none of it throws, whatever the app's Meter does. */
export interface MfaMetrics {
  event(event: Omit<MfaEvent, 'at'>): void;
  refusal(code: string): void;
  providerCall(seconds: number, attributes: MetricAttributes): void;
}

export function metricsOf(instruments: Instruments, logger: MfaLogger): MfaMetrics {
  const report = onceAMinute(logger);
  const safely = (record: () => void) => {
    try {
      record();
    } catch (error) {
      report('metrics', `${LOG_PREFIX}recording a metric failed (${error instanceof Error ? error.name : typeof error}); it was dropped.`);
    }
  };
  return {
    event: (event) => {
      const counted = COUNTED_EVENTS[event.type];
      if (counted) safely(() => instruments[counted.counter].add(1, counted.attributes(event)));
    },
    refusal: (code) => safely(() => instruments.refusals.add(1, { 'mfa.reason': code })),
    providerCall: (seconds, attributes) => safely(() => instruments.providerDuration.record(seconds, attributes)),
  };
}
