// `npm run bench`: what the second factor costs on protected routes, send and verify; prints and writes bench/results.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { startEmulator, startServer, startProber } = require('./lib/processes');
const { connect, deleteKeys } = require('./lib/redis-count');
const { getJson, agent } = require('./lib/http');
const phases = require('./lib/phases');
const { inProcessCost } = require('./lib/in-process');
const { flowCost } = require('./lib/flow-cost');
const { renderFlowCost } = require('./lib/flow-report');
const { render } = require('./lib/report');
const { stormSection } = require('./lib/storm-phases');
const { renderStorm } = require('./lib/storm-report');
const { tollFraudSection } = require('./toll-fraud');
// The library's own defaults, from the build the bench runs (`npm run bench` builds first).
const { DEFAULT_MAX_SOCKETS, DEFAULT_TIMEOUT_MS } = require('../dist/bandwidth/options');
const { DEFAULT_WORK_CONCURRENCY } = require('../dist/config/resolve');

// Sized to keep the whole run under about three minutes on a small machine; override to explore.
const SETTINGS = {
  rounds: Number(process.env.BENCH_ROUNDS || 40),
  seconds: Number(process.env.BENCH_SECONDS || 0.5),
  // Longest the protected-route rounds go on waiting for quiet ones when other jobs share the machine.
  budgetSeconds: Number(process.env.BENCH_BUDGET_SECONDS || 120),
  countAmount: 2000,
  flowAmount: 2000,
  flowCountAmount: 500,
  flowCostUsers: Number(process.env.BENCH_FLOW_COST_USERS || 1500),
  sequentialCalls: 1000,
  memoryFirst: 1000,
  memoryTotal: Number(process.env.BENCH_MEMORY_REQUESTS || 100_000),
  // The login storm of issue 13: Bandwidth at 300 ms, then stalled. BENCH_BEFORE_DIR: a built checkout of an
  // older commit whose round trips are counted too (e.g. `git worktree add /tmp/old 5e05c27`, then build it).
  storm: {
    users: Number(process.env.BENCH_STORM_USERS || 2000),
    concurrency: 200,
    latencyMs: 300,
    // About as long as the storm's two phases, so the quiet p99 and the storm's rest on as many probes.
    quietSeconds: 8,
    stall: { sends: 300, verifies: 300, perSecond: 200, quietSeconds: 12 },
    tripsAmount: 200,
    defaultSockets: DEFAULT_MAX_SOCKETS,
    defaultTurns: DEFAULT_WORK_CONCURRENCY,
    timeoutMs: DEFAULT_TIMEOUT_MS,
    beforeDir: process.env.BENCH_BEFORE_DIR,
    beforeLabel: process.env.BENCH_BEFORE_LABEL || '5e05c27',
  },
};

/** @param {string} message */
function step(message) {
  console.error(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}`);
}

function cpuCount() {
  try {
    return execFileSync('nproc', { encoding: 'utf8' }).trim();
  } catch {
    return String(os.availableParallelism());
  }
}

/**
 * @param {import('ioredis').Redis} redis
 * @returns {Promise<import('./lib/types').BenchEnvironment>}
 */
async function environment(redis) {
  const info = await redis.info('server');
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpuCount(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    autocannon: require('autocannon/package.json').version,
    connections: phases.CONNECTIONS,
    seconds: SETTINGS.seconds,
    command: 'npm run bench',
  };
}

async function main() {
  const prefix = `mfa-bench:${randomBytes(6).toString('hex')}:`;
  const redis = connect();
  const started = [];
  try {
    step('in process: (a), (b), (c), (n) through Express, request by request');
    const inProcess = await inProcessCost();
    const emulator = await startEmulator();
    started.push(emulator);
    step(
      `in process: CPU per send and verify against a bare session write${SETTINGS.storm.beforeDir ? `, side by side with ${SETTINGS.storm.beforeLabel}` : ''}, then a CPU profile`,
    );
    const flow = await flowCost({ emulator, users: SETTINGS.flowCostUsers, beforeDir: SETTINGS.storm.beforeDir });
    const server = await startServer({ prefix, emulator });
    started.push(server);
    const port = server.info.port;
    const target = { appRedisPort: (await getJson(port, '/__bench/redis')).port, prefix };

    step('signing in and verifying over HTTP for the protected-route cookie');
    const cookie = await phases.verifiedCookie(port, emulator, 0);
    step(`protected route: ${SETTINGS.rounds} quiet rounds (or ${SETTINGS.budgetSeconds} s) of a, b, c × ${SETTINGS.seconds} s`);
    const protectedRoute = await phases.sideBySide(port, redis, cookie, SETTINGS);
    step(`Redis commands over ${SETTINGS.countAmount} requests per variant`);
    const commands = await phases.protectedCommands(port, cookie, redis, target, SETTINGS.countAmount);
    step('send and verify');
    const flows = await phases.flows(port, emulator, redis, target, { amount: SETTINGS.flowAmount, countAmount: SETTINGS.flowCountAmount });
    await server.stop();
    step(`${SETTINGS.sequentialCalls} sequential Bandwidth calls from a fresh app process`);
    const freshFlow = await startServer({ prefix, emulator });
    started.push(freshFlow);
    const sequential = await phases.sequentialConnections(freshFlow.info.port, emulator, SETTINGS.sequentialCalls);
    await freshFlow.stop();

    // Two fresh app processes, loaded at once: (c), and (a) as the control for what Node itself does with RSS.
    step(`memory: fresh app processes, ${SETTINGS.memoryTotal} requests to /c and to /a`);
    const freshC = await startServer({ prefix, emulator });
    started.push(freshC);
    const freshA = await startServer({ prefix, emulator });
    started.push(freshA);
    const sizes = { first: SETTINGS.memoryFirst, total: SETTINGS.memoryTotal };
    const [memory, memoryControl] = await Promise.all([
      phases.memoryGrowth(freshC.info.port, cookie, '/c', sizes),
      phases.memoryGrowth(freshA.info.port, cookie, '/a', sizes),
    ]);

    await freshC.stop();
    await freshA.stop();

    const prober = await startProber();
    started.push(prober);
    const storm = await stormSection(
      { emulator, prefix, redis, prober, cookie, quietSeconds: SETTINGS.storm.quietSeconds },
      SETTINGS.storm,
      step,
    );

    const tollFraud = await tollFraudSection({ redis, prefix }, step);

    const flowSection = renderFlowCost(flow, flow.before && { label: SETTINGS.storm.beforeLabel, cost: flow.before });
    const report = `${render({ env: await environment(redis), inProcess, protectedRoute, commands, flows, sequential, memory, memoryControl })}\n${flowSection}\n\n${renderStorm(storm)}\n\n${tollFraud}`;
    console.log(report);
    fs.writeFileSync(path.join(__dirname, 'results.md'), `${report}\n`);
    step('written to bench/results.md');
  } finally {
    agent.destroy();
    for (const child of started.reverse()) await child.stop();
    const deleted = await deleteKeys(redis, prefix);
    step(`deleted the bench's ${deleted} Redis keys (${prefix}*)`);
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
