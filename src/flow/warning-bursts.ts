// The one log throttler: the first of a burst of like lines at once, then one line with how many more came.
import type { MfaLogger } from '../options';
import { LOG_PREFIX } from '../log-prefix';

/** Length of a counting window: while like lines keep coming, one summary per window. */
export const BURST_WINDOW_MS = 10_000;

export interface WarningBursts {
  /**
   * Logs `line` at once when no line of this `kind` was logged in the current window, and counts it
   * otherwise. `kind` is a sentence without per-request details (it is what the summary repeats).
   */
  report(kind: string, line: string, level?: 'warn' | 'error'): void;
  /** Logs the summaries still counting and forgets every burst (tests, shutdown). */
  flush(): void;
}

interface Burst {
  level: 'warn' | 'error';
  more: number;
  timer: NodeJS.Timeout;
}

/**
 * A window starts with the first line of a kind. When it ends, the lines counted in it are summed up
 * in one line and a new window starts; a window with nothing counted ends the burst, so the next line
 * of that kind is logged at once again.
 */
export function warningBursts(logger: MfaLogger, windowMs = BURST_WINDOW_MS): WarningBursts {
  const bursts = new Map<string, Burst>();
  const seconds = Math.round(windowMs / 1000);

  function summarize(kind: string, burst: Burst): void {
    logger[burst.level](`${LOG_PREFIX}${kind}: ${burst.more} more like it in the last ${seconds} s.`);
  }

  function windowEnded(kind: string): void {
    const burst = bursts.get(kind);
    if (!burst) return;
    if (burst.more === 0) {
      bursts.delete(kind);
      return;
    }
    summarize(kind, burst);
    burst.more = 0;
    burst.timer = startWindow(kind);
  }

  function startWindow(kind: string): NodeJS.Timeout {
    // Unref'd: a pending summary must not keep a process alive that is otherwise done.
    return setTimeout(() => windowEnded(kind), windowMs).unref();
  }

  return {
    report(kind, line, level = 'warn') {
      const burst = bursts.get(kind);
      if (burst) {
        burst.more += 1;
        return;
      }
      logger[level](line);
      bursts.set(kind, { level, more: 0, timer: startWindow(kind) });
    },
    flush() {
      for (const [kind, burst] of bursts) {
        clearTimeout(burst.timer);
        if (burst.more > 0) summarize(kind, burst);
      }
      bursts.clear();
    },
  };
}

/**
 * At most one line a minute per kind, and then how many more came: for a hook or a store that fails on every
 * request. Level `error` unless told.
 */
export function onceAMinute(logger: MfaLogger): (kind: string, line: string, level?: 'warn' | 'error') => void {
  const bursts = warningBursts(logger, 60_000);
  return (kind, line, level = 'error') => bursts.report(kind, line, level);
}

const minuteReports = new WeakMap<{ logger: MfaLogger }, ReturnType<typeof onceAMinute>>();

/** The one `onceAMinute` of a configuration, made on first use: each kind keeps its own minute. */
export function onceAMinuteFor(config: { logger: MfaLogger }): ReturnType<typeof onceAMinute> {
  let report = minuteReports.get(config);
  if (!report) minuteReports.set(config, (report = onceAMinute(config.logger)));
  return report;
}
