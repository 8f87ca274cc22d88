// Bench helper process: GETs the protected route at a steady rate and records each latency, apart from the storm's own load.
const http = require('node:http');
const { toBench, answerRequests } = require('./lib/child-ipc');

// Enough sockets that a slow app shows as latency here, not as requests queued in this agent.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
/** @typedef {{ latencies: number[], failed: number, timer: NodeJS.Timeout }} ProbeRun The latencies (ms) and failures since `start`. */
/** @type {ProbeRun | undefined} */
let run;

/**
 * @param {number} port
 * @param {string} path
 * @param {string} cookie
 */
function probe(port, path, cookie) {
  const started = process.hrtime.bigint();
  const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie, accept: 'application/json' }, agent }, (res) => {
    res.resume();
    res.on('end', () => {
      if (!run) return;
      if (res.statusCode === 200) run.latencies.push(Number(process.hrtime.bigint() - started) / 1e6);
      else run.failed += 1;
    });
  });
  req.on('error', () => {
    if (run) run.failed += 1;
  });
}

const operations = /** @satisfies {import('./lib/types').ProberOperations} */ ({
  // An open loop: a request every `intervalMs` whatever the answers take, so a stalled app shows as latency, not as fewer samples.
  start: ({ port, path, cookie, intervalMs }) => {
    run = { latencies: [], failed: 0, timer: setInterval(() => probe(port, path, cookie), intervalMs) };
  },
  stop: async () => {
    clearInterval(/** @type {ProbeRun} */ (run).timer);
    // Let the last requests answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { latencies, failed } = /** @type {ProbeRun} */ (run);
    run = undefined;
    const sorted = latencies.sort((x, y) => x - y);
    const at = (/** @type {number} */ q) =>
      sorted.length ? /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]) : NaN;
    return { count: sorted.length, failed, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
  },
});

answerRequests(operations);
process.on('disconnect', () => process.exit(0));
toBench({ ready: true });
