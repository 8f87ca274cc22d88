// The storm's load generator: many users' sends or verifies at a fixed concurrency, each answer timed and kept.
const http = require('node:http');

/** @typedef {import('./types').StormJob} StormJob */
/** @typedef {import('./types').StormRecord} StormRecord */

/**
 * Runs `jobs` ({ n, path, body, cookie }) with at most `concurrency` requests open at once and resolves with one
 * record per job: when it started and ended (epoch ms, comparable with the emulator's arrival times), its
 * latency (ms), status and error code.
 * @param {number} port
 * @param {StormJob[]} jobs
 * @param {number} concurrency
 * @returns {Promise<StormRecord[]>}
 */
async function fire(port, jobs, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  /** @type {StormRecord[]} */
  const records = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      records[i] = await once(port, agent, /** @type {StormJob} */ (jobs[i]));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  agent.destroy();
  return records;
}

/**
 * Runs `jobs` in an open loop: job i starts `i / perSecond` seconds in, whatever the earlier ones are doing, as
 * users arriving do. Resolves with the same records as `fire`.
 * @param {number} port
 * @param {StormJob[]} jobs
 * @param {number} perSecond
 */
async function fireOpen(port, jobs, perSecond) {
  const agent = new http.Agent({ keepAlive: true });
  const start = Date.now();
  /** @type {Promise<StormRecord>[]} */
  const pending = [];
  for (let i = 0; i < jobs.length; i += 1) {
    const wait = start + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(once(port, agent, /** @type {StormJob} */ (jobs[i])));
  }
  const records = await Promise.all(pending);
  agent.destroy();
  return records;
}

/**
 * @param {number} port
 * @param {import('node:http').Agent} agent
 * @param {StormJob} job
 * @returns {Promise<StormRecord>}
 */
function once(port, agent, job) {
  const payload = JSON.stringify(job.body);
  const headers = {
    accept: 'application/json',
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(payload),
    cookie: job.cookie,
  };
  const startedAt = Date.now();
  const started = process.hrtime.bigint();
  return new Promise((resolve) => {
    /**
     * @param {number} status
     * @param {string | undefined} error
     */
    const done = (status, error) =>
      resolve({
        n: job.n,
        path: job.path,
        status,
        error,
        startedAt,
        endedAt: Date.now(),
        ms: Number(process.hrtime.bigint() - started) / 1e6,
      });
    const req = http.request({ host: '127.0.0.1', port, method: 'POST', path: job.path, headers, agent }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        /** @type {string | undefined} */
        let error;
        try {
          error = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.error;
        } catch {
          error = undefined;
        }
        done(/** @type {number} */ (res.statusCode), error);
      });
    });
    req.on('error', (/** @type {NodeJS.ErrnoException} */ error) => done(0, error.code ?? 'socket_error'));
    req.end(payload);
  });
}

/**
 * @param {number[]} sorted
 * @param {number} q In (0, 1].
 */
function percentile(sorted, q) {
  return sorted.length ? /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : NaN;
}

/**
 * @param {number[]} latencies
 * @returns {import('./types').LatencySummary}
 */
function summarizeLatencies(latencies) {
  const sorted = [...latencies].sort((x, y) => x - y);
  return { count: sorted.length, p50: percentile(sorted, 0.5), p99: percentile(sorted, 0.99), max: sorted[sorted.length - 1] ?? NaN };
}

/**
 * The probes that started within `windowMs` of a storm phase's first request (its users arriving at once, on
 * connections of their own), and the others.
 * @param {import('./types').ProbeSample[]} samples
 * @param {number[]} phaseStarts Epoch ms.
 * @param {number} windowMs
 * @returns {import('./types').OnsetSplit}
 */
function splitAtOnsets(samples, phaseStarts, windowMs) {
  const atOnset = (/** @type {number} */ at) => phaseStarts.some((start) => at >= start && at < start + windowMs);
  return {
    windowMs,
    onset: summarizeLatencies(samples.filter(([at]) => atOnset(at)).map(([, ms]) => ms)),
    rest: summarizeLatencies(samples.filter(([at]) => !atOnset(at)).map(([, ms]) => ms)),
  };
}

/**
 * The probes during which one of the app's garbage-collection pauses fell (the pause began before the probe's
 * answer and ended after its start), and the others; with the pauses that fell within the probes' span.
 * @param {import('./types').ProbeSample[]} samples
 * @param {import('./types').Pause[]} pauses
 * @returns {import('./types').PauseSplit}
 */
function splitAtPauses(samples, pauses) {
  const first = Math.min(...samples.map(([at]) => at));
  const last = Math.max(...samples.map(([at, ms]) => at + ms));
  const within = pauses.filter(([at, ms]) => at < last && at + ms > first);
  /** @type {number[]} */
  const overlapping = [];
  /** @type {number[]} */
  const clear = [];
  for (const [at, ms] of samples) (within.some(([start, length]) => start < at + ms && start + length > at) ? overlapping : clear).push(ms);
  const lengths = within.map(([, ms]) => ms);
  return {
    pauses: { ...summarizeLatencies(lengths), totalMs: lengths.reduce((sum, ms) => sum + ms, 0) },
    overlapping: summarizeLatencies(overlapping),
    clear: summarizeLatencies(clear),
  };
}

/**
 * Answers per second (2xx), latencies of the successes and of the refusals, and how many ended how.
 * @param {StormRecord[]} records
 * @returns {import('./types').StormSummary}
 */
function summarize(records) {
  const ok = records.filter((r) => r.status >= 200 && r.status < 300);
  const failed = records.filter((r) => !(r.status >= 200 && r.status < 300));
  const first = Math.min(...records.map((r) => r.startedAt));
  const last = Math.max(...records.map((r) => r.endedAt));
  const okMs = ok.map((r) => r.ms).sort((x, y) => x - y);
  const failedMs = failed.map((r) => r.ms).sort((x, y) => x - y);
  /** @type {Record<string, { count: number, maxMs: number, ms: number[] }>} */
  const ended = {};
  for (const r of failed) {
    const key = `${r.status} ${r.error ?? ''}`.trim();
    const o = (ended[key] ??= { count: 0, maxMs: 0, ms: [] });
    o.count += 1;
    o.ms.push(r.ms);
    o.maxMs = Math.max(o.maxMs, r.ms);
  }
  /** @type {Record<string, import('./types').StormOutcome>} */
  const outcomes = {};
  for (const [key, o] of Object.entries(ended)) {
    o.ms.sort((x, y) => x - y);
    outcomes[key] = { count: o.count, maxMs: o.maxMs, p50: percentile(o.ms, 0.5), p99: percentile(o.ms, 0.99) };
  }
  return {
    requests: records.length,
    ok: ok.length,
    okPerSecond: records.length ? (ok.length * 1000) / Math.max(1, last - first) : NaN,
    seconds: (last - first) / 1000,
    p50: percentile(okMs, 0.5),
    p99: percentile(okMs, 0.99),
    failedP50: percentile(failedMs, 0.5),
    failedP99: percentile(failedMs, 0.99),
    outcomes,
  };
}

/**
 * Which of the runs' calls reached Bandwidth (the emulator's arrivals of the runs' numbers on `endpoint`), and
 * how many arrived after their caller had been answered: the number a late write would show up in.
 * @param {StormRecord[]} records
 * @param {import('./types').Arrival[]} arrivals
 * @param {string} endpoint
 * @param {(n: number) => string} phoneNumberOf
 * @returns {import('./types').Reached}
 */
function arrivalsOf(records, arrivals, endpoint, phoneNumberOf) {
  /** @type {Map<string | null, number>} */
  const answeredAt = new Map(records.map((r) => [phoneNumberOf(r.n), r.endedAt]));
  const mine = arrivals.filter((a) => a.endpoint === endpoint && answeredAt.has(a.to));
  return { reached: mine.length, afterAnswer: mine.filter((a) => a.at > /** @type {number} */ (answeredAt.get(a.to))).length };
}

module.exports = { fire, fireOpen, summarize, summarizeLatencies, splitAtOnsets, splitAtPauses, arrivalsOf };
