// A cheap early refusal for sends and verifies while the event loop is saturated: a login storm must not starve the app's other routes.
import { performance, type EventLoopUtilization } from 'node:perf_hooks';

/** How often the loop's utilization is read, and over how many readings it is averaged. */
const WINDOW_MS = 100;
const WINDOWS = 3;

/**
 * The share of the last few hundred milliseconds this process's event loop spent working rather than
 * waiting for I/O: one reading per process, whatever the number of configurations. It is what a login
 * storm drives to 1 on the instance it lands on, and it ignores what a shared host does to the process
 * from outside (time descheduled while idle counts as idle), so a busy machine does not trip it. Started
 * with the first configuration that sheds load; its timer never keeps the process alive.
 */
const loop = {
  readings: [] as number[],
  last: undefined as EventLoopUtilization | undefined,
  timer: undefined as NodeJS.Timeout | undefined,
  /** The average of the last readings (0 to 1); undefined until there are enough of them. */
  utilization(): number | undefined {
    return this.readings.length < WINDOWS ? undefined : this.readings.reduce((sum, u) => sum + u, 0) / WINDOWS;
  },
  ensureStarted(): void {
    if (this.timer) return;
    this.last = performance.eventLoopUtilization();
    this.timer = setInterval(() => {
      const now = performance.eventLoopUtilization();
      this.readings.push(performance.eventLoopUtilization(now, this.last).utilization);
      if (this.readings.length > WINDOWS) this.readings.shift();
      this.last = now;
    }, WINDOW_MS);
    this.timer.unref();
  },
};

/**
 * One configuration's thresholds: the process's event-loop utilization, and the Bandwidth calls this configuration
 * has in flight. Both must be passed: a loop kept busy by a test suite driving an app in its own process, or by a
 * burst of ordinary work, is no storm, and is never refused for it.
 */
export class LoopLoad {
  constructor(
    readonly maxUtilization: number,
    readonly minCallsInFlight: number,
  ) {
    loop.ensureStarted();
  }

  /** True while sends and verifies should be refused: a storm's calls in flight, and a loop busier than `maxUtilization` over the last 300 ms. */
  saturated(callsInFlight: number): boolean {
    if (callsInFlight < this.minCallsInFlight) return false;
    const utilization = loop.utilization();
    return utilization !== undefined && utilization > this.maxUtilization;
  }

  /** The utilization behind the last refusal, for the log line. */
  get utilization(): number {
    return loop.utilization() ?? 0;
  }
}
