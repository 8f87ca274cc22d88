// Loads the optional peer dependency `@opentelemetry/api` once per process; without it the library records nothing.
import type { MfaLogger } from '../options';
import type { MetricsMeterProvider } from './types';
import { LOG_PREFIX } from '../log-prefix';

interface OpenTelemetryApi {
  metrics: MetricsMeterProvider;
}

let loaded: { api: OpenTelemetryApi | undefined } | undefined;

/** The API module, or undefined when `require` fails: the app did not install it, so it wants no metrics. */
export function openTelemetryApi(logger: MfaLogger): OpenTelemetryApi | undefined {
  if (loaded) return loaded.api;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: an optional peer dependency
    loaded = { api: require('@opentelemetry/api') as OpenTelemetryApi };
  } catch (error) {
    // Absent is the normal case; anything else (a broken install) deserves one line, and still no metrics.
    if ((error as NodeJS.ErrnoException)?.code !== 'MODULE_NOT_FOUND') {
      logger.warn(
        `${LOG_PREFIX}@opentelemetry/api could not be loaded (${error instanceof Error ? error.name : typeof error}); no metrics are recorded.`,
      );
    }
    loaded = { api: undefined };
  }
  return loaded.api;
}
