// Bench app process: the bench app (bench/lib/app.js) on a Redis session store, against the emulator.
const { monitorEventLoopDelay, performance } = require('node:perf_hooks');
const express = require('express');
const { RedisStore } = require('connect-redis');
const { Redis } = require('ioredis');
const mfa = require('express-bandwidth-mfa');
const { buildApp, emulatorBandwidth } = require('./lib/app');
const { toBench } = require('./lib/child-ipc');
const { threadTimes, threadTimesBetween, recordGcPauses } = require('./lib/off-cpu');

const prefix = process.env.BENCH_PREFIX;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1, commandTimeout: 1000 });

// Bench controls, outside every session: memory after a forced GC, CPU time used, which Redis connection is ours.
const control = express.Router();
control.get('/memory', (_req, res) => {
  if (typeof globalThis.gc === 'function') {
    globalThis.gc();
    globalThis.gc();
  }
  res.json({ gc: typeof globalThis.gc === 'function', ...process.memoryUsage() });
});
control.get('/cpu', (_req, res) => {
  const { user, system } = process.cpuUsage();
  res.json({ micros: user + system });
});
control.get('/redis', (_req, res) => void res.json({ port: redis.stream.localPort }));

// Event-loop delay and utilisation (the share of the time the loop was busy), what kept the loop from running (its
// thread waiting for a CPU, the collector's pauses), and the library's log lines since the last reading (the storm
// reads them all, then starts afresh).
const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let busySince = performance.eventLoopUtilization();
let threadsSince = threadTimes();
let readSince = performance.now();
// Only the storm's app processes read them: elsewhere (the memory figures) the record would be one more thing growing.
const gcPauses = process.env.BENCH_STORM ? recordGcPauses() : undefined;
/** @type {import('./lib/types').LoggedLines} */
const logged = { warn: 0, error: 0, lines: [] };
/** @type {import('express-bandwidth-mfa').MfaLogger} */
const logger = {
  warn: (line) => note('warn', line),
  error: (line) => note('error', line),
};
/**
 * @param {'warn' | 'error'} level
 * @param {string} line
 */
function note(level, line) {
  logged[level] += 1;
  if (logged.lines.length < 20) logged.lines.push(line);
}
control.get('/loop', (_req, res) => {
  const ms = (/** @type {number} */ ns) => ns / 1e6;
  const { utilization } = performance.eventLoopUtilization(busySince);
  const threads = threadTimes();
  res.json({
    p50: ms(loop.percentile(50)),
    p99: ms(loop.percentile(99)),
    max: ms(loop.max),
    utilization,
    wallMs: performance.now() - readSince,
    threads: threadTimesBetween(threadsSince, threads),
    gcPauses: gcPauses?.take() ?? [],
    logs: { ...logged },
  });
  loop.reset();
  busySince = performance.eventLoopUtilization();
  threadsSince = threads;
  readSince = performance.now();
  Object.assign(logged, { warn: 0, error: 0, lines: [] });
});

// The storm runs the library with its defaults; the older sections keep their 5 s timeout. Unset means default.
const fromEnv = (/** @type {string} */ name) => (process.env[name] ? Number(process.env[name]) : undefined);
const timeoutMs = process.env.BENCH_STORM ? fromEnv('BENCH_TIMEOUT_MS') : 5000;
const maxSockets = fromEnv('BENCH_MAX_SOCKETS');
const providerConcurrency = fromEnv('BENCH_PROVIDER_CONCURRENCY');
const workConcurrency = fromEnv('BENCH_WORK_CONCURRENCY');

const app = buildApp({
  sessionStore: new RedisStore({ client: redis, prefix: `${prefix}sess:` }),
  mfaStore: mfa.redisStore(redis, { prefix: `${prefix}mfa:` }),
  bandwidth: {
    // Set by bench/lib/processes.js from what the emulator said.
    ...emulatorBandwidth({
      accountId: /** @type {string} */ (process.env.BW_ACCOUNT_ID),
      tokenUrl: /** @type {string} */ (process.env.BW_TOKEN_URL),
      baseUrl: /** @type {string} */ (process.env.BW_BASE_URL),
    }),
    ...(timeoutMs === undefined ? {} : { timeoutMs }),
    ...(maxSockets === undefined ? {} : { maxSockets }),
  },
  options: {
    logger,
    ...(providerConcurrency === undefined ? {} : { providerConcurrency }),
    ...(workConcurrency === undefined ? {} : { workConcurrency }),
  },
  extra: (bench) => bench.use('/__bench', control),
});

redis.once('ready', () => {
  const server = app.listen(0, '127.0.0.1', () =>
    toBench({ ready: true, port: /** @type {import('node:net').AddressInfo} */ (server.address()).port }),
  );
  server.keepAliveTimeout = 30_000;
});
process.on('disconnect', () => {
  redis.disconnect();
  process.exit(0);
});
