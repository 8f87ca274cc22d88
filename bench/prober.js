// Bench helper process: GETs the protected route at a steady rate and records each latency, apart from the storm's own load.
const http = require('node:http');
const { toBench, answerRequests } = require('./lib/child-ipc');
const { summarizeLatencies } = require('./lib/storm');

// Enough sockets that a slow app shows as latency here, not as requests queued in this agent.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
/**
 * @typedef {{ onOpen: number[], onNew: number[], samples: import('./lib/types').ProbeSample[], failed: number, timer: NodeJS.Timeout }} ProbeRun
 * The latencies (ms) since `start`, on connections already open and on new ones, every answer with its start time, and the failures.
 */
/** @type {ProbeRun | undefined} */
let run;

/**
 * @param {number} port
 * @param {string} path
 * @param {string} cookie
 */
function probe(port, path, cookie) {
  const started = process.hrtime.bigint();
  const startedAt = Date.now();
  let fresh = false;
  const req = http.get({ host: '127.0.0.1', port, path, headers: { cookie, accept: 'application/json' }, agent }, (res) => {
    res.resume();
    res.on('end', () => {
      if (!run) return;
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (res.statusCode !== 200) run.failed += 1;
      else {
        (fresh ? run.onNew : run.onOpen).push(ms);
        run.samples.push([startedAt, ms]);
      }
    });
  });
  // A request the agent could not give an idle connection opens one: it waits for the app to accept it too.
  req.on('socket', (socket) => {
    fresh = !opened.has(socket);
    opened.add(socket);
  });
  req.on('error', () => {
    if (run) run.failed += 1;
  });
}

/** The connections this prober has opened so far. */
const opened = new WeakSet();

const operations = /** @satisfies {import('./lib/types').ProberOperations} */ ({
  // An open loop: a request every `intervalMs` whatever the answers take, so a stalled app shows as latency, not as fewer samples.
  start: ({ port, path, cookie, intervalMs }) => {
    run = { onOpen: [], onNew: [], samples: [], failed: 0, timer: setInterval(() => probe(port, path, cookie), intervalMs) };
  },
  stop: async () => {
    clearInterval(/** @type {ProbeRun} */ (run).timer);
    // Let the last requests answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { onOpen, onNew, samples, failed } = /** @type {ProbeRun} */ (run);
    run = undefined;
    return {
      ...summarizeLatencies([...onOpen, ...onNew]),
      failed,
      onOpen: summarizeLatencies(onOpen),
      onNew: summarizeLatencies(onNew),
      samples,
    };
  },
});

answerRequests(operations);
process.on('disconnect', () => process.exit(0));
toBench({ ready: true });
