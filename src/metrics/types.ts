// The slice of OpenTelemetry's metrics API the library calls, typed here so its types never need `@opentelemetry/api`.

export type MetricAttributes = Record<string, string>;

export interface MetricsCounter {
  add(value: number, attributes?: MetricAttributes): void;
}

export interface MetricsHistogram {
  record(value: number, attributes?: MetricAttributes): void;
}

interface InstrumentOptions {
  description?: string;
  unit?: string;
  advice?: { explicitBucketBoundaries?: number[] };
}

/** What `@opentelemetry/api`'s `Meter` offers the library: any Meter fits. */
export interface MetricsMeter {
  createCounter(name: string, options?: InstrumentOptions): MetricsCounter;
  createHistogram(name: string, options?: InstrumentOptions): MetricsHistogram;
}

/** What `@opentelemetry/api`'s `MeterProvider` offers: any MeterProvider (the SDK's included) fits. */
export interface MetricsMeterProvider {
  getMeter(name: string, version?: string): MetricsMeter;
}
