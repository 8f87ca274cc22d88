// An OpenTelemetry SDK MeterProvider whose metrics a test reads in memory, summed by instrument and attributes.
import { MeterProvider, MetricReader, type DataPoint, type Histogram } from '@opentelemetry/sdk-metrics';

class InMemoryReader extends MetricReader {
  protected override async onForceFlush(): Promise<void> {}
  protected override async onShutdown(): Promise<void> {}
}

export interface Point {
  name: string;
  unit: string;
  attributes: Record<string, unknown>;
  /** A counter's sum, or a histogram's count of recordings. */
  value: number;
}

export interface ReadableMeterProvider {
  provider: MeterProvider;
  /** Every data point recorded so far (cumulative). */
  points(): Promise<Point[]>;
  /** The sum of `name`'s points whose attributes include `attributes`. */
  total(name: string, attributes?: Record<string, unknown>): Promise<number>;
  shutdown(): Promise<void>;
}

function valueOf(point: DataPoint<unknown>): number {
  const value = point.value as number | Histogram;
  return typeof value === 'number' ? value : value.count;
}

export function readableMeterProvider(): ReadableMeterProvider {
  const reader = new InMemoryReader();
  const provider = new MeterProvider({ readers: [reader] });
  const points = async (): Promise<Point[]> => {
    const { resourceMetrics } = await reader.collect();
    return resourceMetrics.scopeMetrics.flatMap((scope) =>
      scope.metrics.flatMap((metric) =>
        (metric.dataPoints as DataPoint<unknown>[]).map((point) => ({
          name: metric.descriptor.name,
          unit: metric.descriptor.unit,
          attributes: { ...point.attributes },
          value: valueOf(point),
        })),
      ),
    );
  };
  return {
    provider,
    points,
    total: async (name, attributes = {}) =>
      (await points())
        .filter((point) => point.name === name && Object.entries(attributes).every(([key, value]) => point.attributes[key] === value))
        .reduce((sum, point) => sum + point.value, 0),
    shutdown: () => provider.shutdown(),
  };
}
