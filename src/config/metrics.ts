// The `metrics` option: OpenTelemetry's global MeterProvider by default, the app's own Meter or MeterProvider, or off.
import type { MfaLogger } from '../options';
import type { MetricsMeter, MetricsMeterProvider } from '../metrics/types';
import { openTelemetryApi } from '../metrics/otel-api';
import { createInstruments, metricsOf, type MfaMetrics } from '../metrics/instruments';
import { describe, fail } from './checks';

/** The instrumentation scope the library's instruments are created under. */
export const METER_NAME = 'express-bandwidth-mfa';

function isMeter(value: object): value is MetricsMeter {
  const candidate = value as Partial<MetricsMeter>;
  return typeof candidate.createCounter === 'function' && typeof candidate.createHistogram === 'function';
}

function isMeterProvider(value: object): value is MetricsMeterProvider {
  return typeof (value as Partial<MetricsMeterProvider>).getMeter === 'function';
}

/** Undefined when nothing is to be recorded: `false`, or the default without `@opentelemetry/api` installed. */
export function resolveMetrics(option: unknown, logger: MfaLogger): MfaMetrics | undefined {
  if (option === false) return undefined;
  let meter: MetricsMeter;
  if (option === undefined || option === true) {
    const api = openTelemetryApi(logger);
    if (!api) return undefined;
    meter = api.metrics.getMeter(METER_NAME);
  } else if (typeof option === 'object' && option !== null && isMeterProvider(option)) {
    meter = option.getMeter(METER_NAME);
  } else if (typeof option === 'object' && option !== null && isMeter(option)) {
    meter = option;
  } else {
    fail(
      `\`metrics\` must be true (the global MeterProvider of @opentelemetry/api, the default), false (no metrics), a MeterProvider or a Meter; got ${describe(option)}.`,
    );
  }
  if (typeof meter !== 'object' || meter === null || !isMeter(meter))
    fail('`metrics.getMeter()` must return an OpenTelemetry Meter (with `createCounter` and `createHistogram`).');
  return metricsOf(createInstruments(meter), logger);
}
