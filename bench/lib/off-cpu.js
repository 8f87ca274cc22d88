// In the app process: what kept its event loop from running, other than its own work. The kernel's count of the
// time each of the process's threads ran and waited for a CPU (Linux's /proc/self/task/<tid>/schedstat), and the
// garbage collector's pauses.
const fs = require('node:fs');
const { PerformanceObserver, performance } = require('node:perf_hooks');

/** @typedef {import('./types').ThreadTimes} ThreadTimes */

/**
 * Ms each thread ran and waited runnable for a CPU so far: the main thread (the event loop) and the sum of the
 * others (V8's helpers: the collector's parallel and concurrent work, the compiler; libuv's pool). Undefined where
 * /proc has no schedstat (not Linux, or a kernel without schedstats).
 * @returns {ThreadTimes | undefined}
 */
function threadTimes() {
  try {
    const times = { main: { runMs: 0, waitMs: 0 }, others: { runMs: 0, waitMs: 0, threads: 0 } };
    for (const tid of fs.readdirSync('/proc/self/task')) {
      const [run, wait] = fs.readFileSync(`/proc/self/task/${tid}/schedstat`, 'utf8').split(' ').map(Number);
      const into = Number(tid) === process.pid ? times.main : times.others;
      into.runMs += /** @type {number} */ (run) / 1e6;
      into.waitMs += /** @type {number} */ (wait) / 1e6;
      if (into === times.others) times.others.threads += 1;
    }
    return times;
  } catch {
    return undefined;
  }
}

/**
 * `later` − `earlier`, or undefined when either is missing.
 * @param {ThreadTimes | undefined} earlier
 * @param {ThreadTimes | undefined} later
 * @returns {ThreadTimes | undefined}
 */
function threadTimesBetween(earlier, later) {
  if (!earlier || !later) return undefined;
  return {
    main: { runMs: later.main.runMs - earlier.main.runMs, waitMs: later.main.waitMs - earlier.main.waitMs },
    others: {
      runMs: later.others.runMs - earlier.others.runMs,
      waitMs: later.others.waitMs - earlier.others.waitMs,
      threads: later.others.threads,
    },
  };
}

/**
 * Records every garbage-collection pause of this process: `take()` hands over those since the last call, as
 * [start (epoch ms, comparable with the prober's), duration ms].
 */
function recordGcPauses() {
  /** @type {import('./types').Pause[]} */
  let pauses = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) pauses.push([performance.timeOrigin + entry.startTime, entry.duration]);
  }).observe({ entryTypes: ['gc'] });
  return {
    take() {
      const taken = pauses;
      pauses = [];
      return taken;
    },
  };
}

module.exports = { threadTimes, threadTimesBetween, recordGcPauses };
