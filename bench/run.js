// `npm run bench`: what the second factor costs on protected routes, send and verify; prints and writes bench/results.md.
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { execFileSync } = require('node:child_process');
const { startEmulator, startServer } = require('./lib/processes');
const { connect, deleteKeys } = require('./lib/redis-count');
const { getJson, agent } = require('./lib/http');
const phases = require('./lib/phases');
const { guardCost } = require('./lib/micro');
const { render } = require('./lib/report');

// Sized to keep the whole run under about three minutes on a small machine; override to explore.
const SETTINGS = {
  rounds: Number(process.env.BENCH_ROUNDS || 30),
  seconds: Number(process.env.BENCH_SECONDS || 0.5),
  countAmount: 2000,
  flowAmount: 2000,
  flowCountAmount: 500,
  sequentialCalls: 1000,
  memoryFirst: 1000,
  memoryTotal: Number(process.env.BENCH_MEMORY_REQUESTS || 100_000),
};

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

async function environment(redis, emulator) {
  const info = await redis.info('server');
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus: cpuCount(),
    cpuModel: os.cpus()[0]?.model ?? 'unknown CPU',
    redis: /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown',
    autocannon: require('autocannon/package.json').version,
    connections: phases.CONNECTIONS,
    rounds: SETTINGS.rounds,
    seconds: SETTINGS.seconds,
    connectionSource: emulator.info.connectionSource,
    command: 'npm run bench',
  };
}

async function main() {
  const prefix = `mfa-bench:${randomBytes(6).toString('hex')}:`;
  const redis = connect();
  const started = [];
  try {
    step('in-process cost of middleware() + requireSecondFactor()');
    const micro = await guardCost();
    const emulator = await startEmulator();
    started.push(emulator);
    const server = await startServer({ prefix, emulator });
    started.push(server);
    const port = server.info.port;
    const target = { appRedisPort: (await getJson(port, '/__bench/redis')).port, prefix };

    step('signing in and verifying over HTTP for the protected-route cookie');
    const cookie = await phases.verifiedCookie(port, emulator, 0);
    step(`protected route: ${SETTINGS.rounds} rounds of a, b, c × ${SETTINGS.seconds} s`);
    const protectedRoute = await phases.sideBySide(port, cookie, SETTINGS);
    step(`Redis commands over ${SETTINGS.countAmount} requests per variant`);
    const commands = await phases.protectedCommands(port, cookie, redis, target, SETTINGS.countAmount);
    step('send and verify');
    const flows = await phases.flows(port, emulator, redis, target, { amount: SETTINGS.flowAmount, countAmount: SETTINGS.flowCountAmount });
    step(`${SETTINGS.sequentialCalls} sequential sends`);
    const sequential = await phases.sequentialConnections(port, emulator, SETTINGS.sequentialCalls);
    await server.stop();

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

    const report = render({ env: await environment(redis, emulator), micro, protectedRoute, commands, flows, sequential, memory, memoryControl });
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
