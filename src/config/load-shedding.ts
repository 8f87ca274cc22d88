// Checks `loadShedding` once: off, or the event-loop utilization past which sends and verifies are refused.
import type { MfaOptions } from '../options';
import { LoopLoad } from '../load-shedding';
import { describe, fail, integerIn, rejectUnknownKeys } from './checks';

export const DEFAULT_MAX_UTILIZATION = 0.9;
export const DEFAULT_MIN_CALLS_IN_FLIGHT = 64;

export function resolveLoadShedding(option: MfaOptions['loadShedding']): LoopLoad | undefined {
  if (option === false) return undefined;
  if (option !== undefined && (typeof option !== 'object' || option === null || Array.isArray(option)))
    fail(`\`loadShedding\` must be \`false\` or an object like \`{ maxUtilization: 0.9 }\`; got ${describe(option)}.`);
  if (option) rejectUnknownKeys('loadShedding.', option, ['maxUtilization', 'minCallsInFlight']);
  const max = option?.maxUtilization ?? DEFAULT_MAX_UTILIZATION;
  if (typeof max !== 'number' || !Number.isFinite(max) || max < 0.5 || max > 1) {
    fail(
      `\`loadShedding.maxUtilization\` must be a number from 0.5 to 1 (the share of time the event loop is busy); got ${describe(max)}. Use \`loadShedding: false\` to turn it off.`,
    );
  }
  return new LoopLoad(
    max,
    integerIn(
      'loadShedding.minCallsInFlight',
      option?.minCallsInFlight,
      DEFAULT_MIN_CALLS_IN_FLIGHT,
      1,
      10_000,
      'It is how many Bandwidth calls must be in flight in this process before a busy loop counts as a storm.',
    ),
  );
}
