// Bench helper process: GETs the protected route at a steady rate and records each latency, apart from the storm's own load.
const http = require('node:http');

// Enough sockets that a slow app shows as latency here, not as requests queued in this agent.
const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });
let run;

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

const operations = {
  // An open loop: a request every `intervalMs` whatever the answers take, so a stalled app shows as latency, not as fewer samples.
  start: ({ port, path, cookie, intervalMs }) => {
    run = { latencies: [], failed: 0, timer: setInterval(() => probe(port, path, cookie), intervalMs) };
  },
  stop: async () => {
    clearInterval(run.timer);
    // Let the last requests answer.
    await new Promise((resolve) => setTimeout(resolve, 200));
    const { latencies, failed } = run;
    run = undefined;
    const sorted = latencies.sort((x, y) => x - y);
    const at = (q) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] : NaN);
    return { count: sorted.length, failed, p50: at(0.5), p99: at(0.99), max: sorted[sorted.length - 1] ?? NaN };
  },
};

process.on('message', async (message) => {
  try {
    process.send({ id: message.id, result: await operations[message.op](message.arg) });
  } catch (error) {
    process.send({ id: message.id, error: String(error && error.message) });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ ready: true });
