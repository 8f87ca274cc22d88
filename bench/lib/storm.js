// The storm's load generator: many users' sends or verifies at a fixed concurrency, each answer timed and kept.
const http = require('node:http');

/**
 * Runs `jobs` ({ n, path, body, cookie }) with at most `concurrency` requests open at once and resolves with one
 * record per job: when it started and ended (epoch ms, comparable with the emulator's arrival times), its
 * latency (ms), status and error code.
 */
async function fire(port, jobs, concurrency) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const records = new Array(jobs.length);
  let next = 0;
  const worker = async () => {
    while (next < jobs.length) {
      const i = next++;
      records[i] = await once(port, agent, jobs[i]);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, jobs.length) }, worker));
  agent.destroy();
  return records;
}

/**
 * Runs `jobs` in an open loop: job i starts `i / perSecond` seconds in, whatever the earlier ones are doing, as
 * users arriving do. Resolves with the same records as `fire`.
 */
async function fireOpen(port, jobs, perSecond) {
  const agent = new http.Agent({ keepAlive: true });
  const start = Date.now();
  const pending = [];
  for (let i = 0; i < jobs.length; i += 1) {
    const wait = start + (i * 1000) / perSecond - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    pending.push(once(port, agent, jobs[i]));
  }
  const records = await Promise.all(pending);
  agent.destroy();
  return records;
}

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
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        let error;
        try {
          error = JSON.parse(Buffer.concat(chunks).toString('utf8'))?.error;
        } catch {
          error = undefined;
        }
        done(res.statusCode, error);
      });
    });
    req.on('error', (error) => done(0, error.code ?? 'socket_error'));
    req.end(payload);
  });
}

function percentile(sorted, q) {
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN;
}

/** Answers per second (2xx), latencies of the successes and of the refusals, and how many ended how. */
function summarize(records) {
  const ok = records.filter((r) => r.status >= 200 && r.status < 300);
  const failed = records.filter((r) => !(r.status >= 200 && r.status < 300));
  const first = Math.min(...records.map((r) => r.startedAt));
  const last = Math.max(...records.map((r) => r.endedAt));
  const okMs = ok.map((r) => r.ms).sort((x, y) => x - y);
  const failedMs = failed.map((r) => r.ms).sort((x, y) => x - y);
  const outcomes = {};
  for (const r of failed) {
    const key = `${r.status} ${r.error ?? ''}`.trim();
    outcomes[key] ??= { count: 0, maxMs: 0, ms: [] };
    outcomes[key].count += 1;
    outcomes[key].ms.push(r.ms);
    outcomes[key].maxMs = Math.max(outcomes[key].maxMs, r.ms);
  }
  for (const o of Object.values(outcomes)) {
    o.ms.sort((x, y) => x - y);
    o.p50 = percentile(o.ms, 0.5);
    o.p99 = percentile(o.ms, 0.99);
    delete o.ms;
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
 */
function arrivalsOf(records, arrivals, endpoint, phoneNumberOf) {
  const answeredAt = new Map(records.map((r) => [phoneNumberOf(r.n), r.endedAt]));
  const mine = arrivals.filter((a) => a.endpoint === endpoint && answeredAt.has(a.to));
  return { reached: mine.length, afterAnswer: mine.filter((a) => a.at > answeredAt.get(a.to)).length };
}

module.exports = { fire, fireOpen, summarize, arrivalsOf };
