// The login-storm section of bench/results.md: a slow and a stalled Bandwidth, with and without the bound, and the round trips.
const os = require('node:os');
const { round } = require('./redis-count');

/** @typedef {import('./types').StormRun} StormRun */

const fixed = (/** @type {number} */ n, digits = 0) => (Number.isFinite(n) ? n.toFixed(digits) : '—');
const ms = (/** @type {number} */ n) =>
  Number.isFinite(n) ? (n >= 1000 ? `${(n / 1000).toFixed(2)} s` : `${n.toFixed(n < 10 ? 1 : 0)} ms`) : '—';
const pct = (/** @type {number} */ share) => (Number.isFinite(share) ? `${Math.round(100 * share)} %` : 'n/a');

/**
 * "1 997 ok; 3 × 503 provider_unavailable (max 12 ms)": how every request of a path ended.
 * @param {import('./types').StormSummary | undefined} summary
 */
function outcomes(summary) {
  if (!summary) return '—';
  const parts = [`${summary.ok} ok`];
  for (const [key, o] of Object.entries(summary.outcomes)) parts.push(`${o.count} × ${key} (p50 ${ms(o.p50)}, max ${ms(o.maxMs)})`);
  return parts.join('; ');
}

/** @param {import('./types').Reached | undefined} reached */
function reachedCell(reached) {
  if (!reached) return '—';
  return `${reached.reached} (${reached.afterAnswer} after their answer)`;
}

/** @param {StormRun} run */
function routeCell(run) {
  return `${ms(run.quiet.p99)} → ${ms(run.during.p99)} (${fixed(run.during.p99 / run.quiet.p99, 2)} ×); max ${ms(run.during.max)}`;
}

/**
 * When and where the storm's slow probes waited: at a phase's onset (its users arriving at once) or after it; on a connection the prober had open, or on one it had to open.
 * @param {StormRun} run
 */
function whereCell(run) {
  const { onset, rest } = run.phases;
  const { onOpen, onNew } = run.during;
  return `${ms(onset.p99)} over ${onset.count}; ${ms(rest.p99)} over ${rest.count} | ${ms(onOpen.p99)} over ${onOpen.count}; ${onNew.count} new: p50 ${ms(onNew.p50)}, max ${ms(onNew.max)}`;
}

/**
 * A markdown table of the runs, a row each, then a blank line.
 * @param {string[]} lines
 * @param {string} header
 * @param {string} align
 * @param {StormRun[]} runs
 * @param {(run: StormRun) => string} row
 */
function table(lines, header, align, runs, row) {
  lines.push(header, align, ...runs.map(row), '');
}

/**
 * @param {string[]} lines
 * @param {StormRun[]} runs
 */
function slowTable(lines, runs) {
  table(
    lines,
    '| Configuration | sends/s | send p50 / p99 | verifies/s | verify p50 / p99 | how sends ended | how verifies ended | reached Bandwidth: sends, verifies | TCP connections opened | event-loop delay p99 / max; busy | protected route p99 quiet → storm | storm p99: phase onsets; after them | storm p99 on open connections; new connections | other processes |',
    '|---|---:|---:|---:|---:|---|---|---|---:|---:|---|---|---|---:|',
    runs,
    (r) => {
      const { send, verify } = r.summary;
      return `| ${r.label} | ${fixed(send.okPerSecond)} | ${ms(send.p50)} / ${ms(send.p99)} | ${fixed(verify.okPerSecond)} | ${ms(verify.p50)} / ${ms(verify.p99)} | ${outcomes(send)} | ${outcomes(verify)} | ${reachedCell(r.reached.send)}; ${reachedCell(r.reached.verify)} | ${r.opened} | ${ms(r.loop.p99)} / ${ms(r.loop.max)}; ${pct(r.loop.utilization)} | ${routeCell(r)} | ${whereCell(r)} | ${pct(r.foreign)} |`;
    },
  );
}

/**
 * "3940 ms; 610 ms waiting (8 %)": how long the event loop's thread ran, and waited runnable for a CPU (its share of the storm's wall time).
 * @param {{ runMs: number, waitMs: number }} t
 * @param {number} wallMs
 */
function mainCell(t, wallMs) {
  return `${fixed(t.runMs)} ms; ${fixed(t.waitMs)} ms waiting (${pct(t.waitMs / wallMs)})`;
}

/**
 * What kept the app's event loop from running during each slow storm: its thread waiting for a CPU the machine's
 * other processes (and the app's own helper threads) held, and the collector's pauses; the probes split by the latter.
 * @param {string[]} lines
 * @param {StormRun[]} runs
 */
function offCpuTable(lines, runs) {
  table(
    lines,
    "| Configuration | the event loop's thread: on a CPU; waiting for one (share of the storm) | the app's other threads: on a CPU; waiting | GC pauses: count; p50 / max; in all | probes with a GC pause in them: count; p99 | the other probes: count; p99 (× quiet p99) |",
    '|---|---:|---:|---:|---:|---:|',
    runs,
    (r) => {
      const { threads, wallMs } = r.loop;
      const { pauses, overlapping, clear } = r.gc;
      const others =
        threads && `${threads.others.threads} threads: ${fixed(threads.others.runMs)} ms; ${fixed(threads.others.waitMs)} ms waiting`;
      return `| ${r.label} | ${threads ? mainCell(threads.main, wallMs) : 'n/a'} | ${others ?? 'n/a'} | ${pauses.count}; ${ms(pauses.p50)} / ${ms(pauses.max)}; ${ms(pauses.totalMs)} | ${overlapping.count}; ${ms(overlapping.p99)} | ${clear.count}; ${ms(clear.p99)} (${fixed(clear.p99 / r.quiet.p99, 1)} ×) |`;
    },
  );
}

/**
 * Issue 20's bar for the slow storm, on the defaults, next to the same storm without turns.
 * @param {StormRun[]} runs
 */
function stormTargets(runs) {
  const find = (/** @type {string} */ start) => /** @type {StormRun} */ (runs.find((r) => r.label.startsWith(start)));
  const ratio = (/** @type {StormRun} */ r) => r.during.p99 / r.quiet.p99;
  const turns = find('defaults (');
  const all = find('defaults, but no turns');
  const inRoute = find('defaults, but the turns taken in the routes');
  const smallYoung = find('defaults, the app on Node with');
  const standIn = find('reference: routes with the same I/O');
  return (
    `**Target** (defaults): protected route p99 during the storm ≤ 3 × quiet → ${fixed(ratio(turns), 1)} × (${ratio(turns) <= 3 ? 'met' : '**missed**'}); ` +
    `without turns in the same run ${fixed(ratio(all), 1)} ×, with the turns taken in the routes only ${fixed(ratio(inRoute), 1)} × (after the onsets ${fixed(inRoute.phases.rest.p99 / inRoute.quiet.p99, 1)} ×; sends/s ${fixed(inRoute.summary.send.okPerSecond)}, send p50 ${ms(inRoute.summary.send.p50)}). After the phases' onsets: ${ms(turns.phases.rest.p99)} (${fixed(turns.phases.rest.p99 / turns.quiet.p99, 1)} ×) against ${ms(all.phases.rest.p99)} (${fixed(all.phases.rest.p99 / all.quiet.p99, 1)} ×); in it: ${ms(turns.phases.onset.p99)} against ${ms(all.phases.onset.p99)}. On connections the prober had open: ${ms(turns.during.onOpen.p99)} against ${ms(all.during.onOpen.p99)}; ` +
    `sends/s ${fixed(turns.summary.send.okPerSecond)} against ${fixed(all.summary.send.okPerSecond)}, send p50 ${ms(turns.summary.send.p50)} against ${ms(all.summary.send.p50)}. ` +
    `The defaults with the app's young generation capped (its row above, an operator's setting): ${fixed(ratio(smallYoung), 1)} × (after the onsets ${fixed(smallYoung.phases.rest.p99 / smallYoung.quiet.p99, 1)} ×), sends/s ${fixed(smallYoung.summary.send.okPerSecond)}, send p50 ${ms(smallYoung.summary.send.p50)}. ` +
    `For reference, routes with the same I/O and none of the library's flow: ${fixed(ratio(standIn), 1)} × (after the onsets ${fixed(standIn.phases.rest.p99 / standIn.quiet.p99, 1)} ×), sends/s ${fixed(standIn.summary.send.okPerSecond)}, send p50 ${ms(standIn.summary.send.p50)}.`
  );
}

/**
 * @param {string[]} lines
 * @param {StormRun[]} runs
 */
function stallTable(lines, runs) {
  table(
    lines,
    '| Configuration | how sends ended | how verifies ended | reached Bandwidth: sends, verifies | TCP connections opened | event-loop delay p99 / max | protected route p99 quiet → stall | log lines by the last answer | other processes |',
    '|---|---|---|---|---:|---:|---|---:|---:|',
    runs,
    (r) => {
      const { send, verify } = r.summary;
      return `| ${r.label} | ${outcomes(send)} | ${outcomes(verify)} | ${reachedCell(r.reached.send)}; ${reachedCell(r.reached.verify)} | ${r.opened} | ${ms(r.loop.p99)} / ${ms(r.loop.max)} | ${routeCell(r)} | ${r.loop.logs.warn + r.loop.logs.error} | ${pct(r.foreign)} |`;
    },
  );
}

/**
 * Round trips per request on the app's own Redis connection, and whose keys they touched.
 * @param {import('./types').CommandCount | undefined} count
 */
function tripsCell(count) {
  if (!count) return '—';
  const per = (/** @type {number | undefined} */ n) => round((n ?? 0) / count.requests);
  const all = Object.values(count.roundTrips).reduce((sum, n) => sum + n, 0);
  return `${per(all)} (session ${per(count.owners.session)}, library store ${per(count.owners.store)})`;
}

/**
 * Issue 13's bars, judged on the bounded stall (and, for late writes, on every run).
 * @param {import('./types').StormSection} s
 */
function targets(s) {
  const meets = (/** @type {boolean} */ ok) => (ok ? 'met' : '**missed**');
  const late = [...s.slow, ...s.stalled].reduce((sum, r) => sum + Object.values(r.reached).reduce((n, x) => n + x.afterAnswer, 0), 0);
  // The stall with the default bound: stormSection runs it first.
  const bounded = /** @type {StormRun} */ (s.stalled[0]);
  const refusals = /** @type {const} */ (['send', 'verify']).flatMap((path) =>
    Object.entries(bounded.summary[path].outcomes)
      .filter(([key]) => key === '503 provider_unavailable')
      .map(([, o]) => o.maxMs),
  );
  const slowest = Math.max(...refusals);
  const ratio = bounded.during.p99 / bounded.quiet.p99;
  return (
    `**Targets** (${bounded.label}, stalled): calls reaching Bandwidth after their answer, all runs = 0 → ${late} (${meets(late === 0)}); ` +
    `refusals beyond the bound < 100 ms → slowest ${ms(slowest)} (${meets(refusals.length > 0 && slowest < 100)}); ` +
    `protected route p99 during the stall ≤ 2 × quiet → ${fixed(ratio, 2)} × (${meets(ratio <= 2)}).`
  );
}

/** @param {import('./types').StormSection} s */
function renderStorm(s) {
  const lines = [];
  lines.push(`## Login storm: Bandwidth at ${s.latencyMs} ms, then stalled`, '');
  lines.push(
    `Each configuration runs in a fresh app process (Redis sessions and store, the library's defaults: \`timeoutMs\` ${s.timeoutMs}, \`maxSockets\` ${s.defaultSockets}, \`providerConcurrency\` = \`maxSockets\`), against the emulator in its own process. "No bound" is \`providerConcurrency: ${s.unbounded}\`: every call is admitted and waits for a socket in the client's queue instead. The protected route (\`requireSecondFactor()\`, a verified session) is requested every 10 ms by a process of its own for ${s.quietSeconds} s before the storm (${s.stall.quietSeconds} s before the stall: quiet) and all through it. "After their answer": calls the emulator received after the app had answered their user, counted ${s.settleSeconds} s after Bandwidth answered again.`,
    '',
  );
  lines.push(`### ${s.users} users, ${s.concurrency} at a time, Bandwidth answering in ${s.latencyMs} ms`, '');
  lines.push(
    `All send; then everyone who got a code verifies it. Latencies are of the successful answers; refusals are listed with theirs. A phase's onset is its first ${fixed(s.slow[0]?.phases.windowMs ?? NaN)} ms, when its ${s.concurrency} first users arrive at once, each on a connection of its own: the probes are split by whether they started in one.`,
    '',
  );
  slowTable(lines, s.slow);
  lines.push(stormTargets(s.slow), '');
  lines.push("#### What kept the app's event loop from running", '');
  lines.push(
    `From just before the storm to just after it: the time the app's threads ran and waited runnable for a CPU (the kernel's count, \`/proc/<pid>/task/*/schedstat\`: on this machine the app shares its ${os.availableParallelism()} CPUs with Redis, the emulator, the load generator and the prober), and the garbage collector's pauses in the app (a \`gc\` PerformanceObserver), with the storm's probes split by whether a pause fell while they were answered.`,
    '',
  );
  offCpuTable(lines, s.slow);
  lines.push(
    `### Bandwidth stops answering: ${s.stall.sends} sends and ${s.stall.verifies} verifies arriving at ${s.stall.perSecond} a second`,
    '',
  );
  lines.push(
    'Sends and verifies take turns; the verifying users got their code before the stall. Nothing can succeed: what matters is how soon each user is answered, what still reaches Bandwidth, and the rest of the app.',
    '',
  );
  stallTable(lines, s.stalled);
  lines.push(targets(s), '');
  lines.push('### Redis round trips per request', '');
  lines.push(
    `Counted with MONITOR on the app's own connection over ${s.trips.amount} sends and ${s.trips.amount} verifies (Bandwidth instant), split by the keys they touch: express-session's (\`sess:\`) or the library's store (\`mfa:\`).`,
    '',
  );
  lines.push('| Code | per send | per verify |');
  lines.push('|---|---|---|');
  if (s.trips.before)
    lines.push(`| before: commit ${s.trips.beforeLabel} | ${tripsCell(s.trips.before.send)} | ${tripsCell(s.trips.before.verify)} |`);
  else
    lines.push(
      `| before: commit 5e05c27 | not measured in this run (set \`BENCH_BEFORE_DIR\` to a built checkout of it); its bench/results.md reads 6 round trips per send, 9 per verify | |`,
    );
  lines.push(`| now | ${tripsCell(s.trips.after.send)} | ${tripsCell(s.trips.after.verify)} |`);
  lines.push('');
  return lines.join('\n');
}

module.exports = { renderStorm };
