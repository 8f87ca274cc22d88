// The measurements of the bench, one function per section of the report.
const { load, median, quantile } = require('./load');
const { countCommands } = require('./redis-count');
const { snapshot, foreignShare } = require('./host-load');
const { login, send, verify, getJson, inParallel, phoneNumberOf } = require('./http');

/** @typedef {import('./types').EmulatorChild} EmulatorChild */
/** @typedef {import('./types').HttpVariant} HttpVariant */
/** @typedef {import('./types').LoadRun} LoadRun */
/** @typedef {import('./types').SignedInUser} SignedInUser */
/** @typedef {import('ioredis').Redis} Redis */

const CONNECTIONS = 10;
/** @type {readonly HttpVariant[]} */
const VARIANTS = ['a', 'b', 'c'];

/**
 * Drives the real flow over HTTP: sign in, send, read the code from the emulator, verify.
 * @param {number} port
 * @param {EmulatorChild} emulator
 * @param {number} n
 */
async function verifiedCookie(port, emulator, n) {
  const cookie = await login(port, n);
  await send(port, cookie);
  const [code] = await emulator.call('codes', [phoneNumberOf(n)]);
  if (!code) throw new Error('the emulator has no code for the bench user');
  const verified = await verify(port, cookie, code);
  if (!verified) throw new Error('verify answered without a new session cookie');
  return verified;
}

/**
 * @param {LoadRun} run
 * @param {string} what
 */
function checkClean(run, what) {
  if (run.non2xx > 0 || run.errors > 0) {
    throw new Error(
      `${what}: ${run.non2xx} non-2xx answers and ${run.errors} errors (${JSON.stringify(run.statusCodes)}); the figures would be meaningless`,
    );
  }
  return run;
}

/**
 * One timed run, with the CPU time the app process spent on it (a figure other processes on the host
 * disturb less) and the share of the machine other processes took meanwhile.
 * @param {number} port
 * @param {Redis} redis
 * @param {Omit<import('./load').LoadOptions, 'port' | 'connections'>} options
 * @param {string} what
 * @returns {Promise<import('./types').TimedRun>}
 */
async function timedRun(port, redis, options, what) {
  const host = await snapshot(redis);
  const before = await getJson(port, '/__bench/cpu');
  const run = checkClean(await load({ port, connections: CONNECTIONS, ...options }), what);
  const after = await getJson(port, '/__bench/cpu');
  const appMicros = after.micros - before.micros;
  return { ...run, cpuMicros: appMicros / run.ok, foreign: foreignShare(host, await snapshot(redis), appMicros) };
}

/** A round counts as quiet when other processes took at most this share of the CPUs in each of its runs. */
const QUIET_SHARE = 0.15;
/** Fewer quiet rounds than this and the medians are taken over every round, flagged as unreliable. */
const MIN_QUIET_ROUNDS = 10;

/** @typedef {Record<HttpVariant, import('./types').TimedRun>} Round One run of each variant. */

const isQuiet = (/** @type {Round} */ round) => VARIANTS.every((v) => !(round[v].foreign > QUIET_SHARE));

/**
 * (a), (b), (c) in interleaved rounds, the order rotated each round, so drift on a noisy host hits all
 * of them. Other people's jobs halve the throughput while they run (see host-load.js), so rounds go on until
 * `rounds` quiet ones are in or the time budget is spent, and the medians are taken over the quiet rounds.
 * @param {number} port
 * @param {Redis} redis
 * @param {string} cookie
 * @param {{ rounds: number, seconds: number, budgetSeconds: number }} settings
 * @returns {Promise<import('./types').ProtectedRoute>}
 */
async function sideBySide(port, redis, cookie, { rounds, seconds, budgetSeconds }) {
  for (const v of VARIANTS) await timedRun(port, redis, { path: `/${v}`, cookie, duration: 1 }, `warm-up /${v}`);
  const deadline = Date.now() + budgetSeconds * 1000;
  /** @type {Round[]} */
  const all = [];
  let quiet = 0;
  while (quiet < rounds && (all.length < rounds || Date.now() < deadline)) {
    const round = /** @type {Round} */ ({});
    for (let i = 0; i < VARIANTS.length; i += 1) {
      const v = /** @type {HttpVariant} */ (VARIANTS[(i + all.length) % VARIANTS.length]);
      round[v] = await timedRun(port, redis, { path: `/${v}`, cookie, duration: seconds }, `/${v}`);
    }
    all.push(round);
    if (isQuiet(round)) quiet += 1;
  }
  const used = quiet >= MIN_QUIET_ROUNDS ? all.filter(isQuiet) : all;
  /** @typedef {'rps' | 'p50' | 'p99' | 'cpuMicros'} Figure */
  const series = (/** @type {HttpVariant} */ v, /** @type {Figure} */ key) => used.map((round) => round[v][key]);
  const ratios = (/** @type {HttpVariant} */ v, /** @type {Figure} */ key) => used.map((round) => round[v][key] / round.a[key]);
  /** @returns {[number, number]} */
  const spread = (/** @type {number[]} */ values) => [quantile(values, 0.25), quantile(values, 0.75)];
  const summary = /** @type {import('./types').ProtectedRoute} */ ({
    rounds: all.length,
    quiet,
    reliable: quiet >= MIN_QUIET_ROUNDS,
    quietShare: QUIET_SHARE,
    foreign: median(all.flatMap((round) => VARIANTS.map((v) => round[v].foreign))),
  });
  for (const v of VARIANTS) {
    summary[v] = {
      rps: median(series(v, 'rps')),
      p50: median(series(v, 'p50')),
      p99: median(series(v, 'p99')),
      cpuMicros: median(series(v, 'cpuMicros')),
      ratio: median(ratios(v, 'rps')),
      ratioIqr: spread(ratios(v, 'rps')),
      cpuRatio: median(ratios(v, 'cpuMicros')),
      cpuRatioIqr: spread(ratios(v, 'cpuMicros')),
    };
  }
  return summary;
}

/**
 * Redis commands per protected request, over a fixed number of requests per variant.
 * @param {number} port
 * @param {string} cookie
 * @param {Redis} redis
 * @param {import('./types').CountTarget} target
 * @param {number} amount
 */
async function protectedCommands(port, cookie, redis, target, amount) {
  const counts = /** @type {Record<HttpVariant, import('./types').CommandCount>} */ ({});
  for (const v of VARIANTS) {
    counts[v] = await countCommands(redis, target, async () => {
      checkClean(await load({ port, path: `/${v}`, cookie, amount, connections: CONNECTIONS }), `/${v} (counting)`);
      return amount;
    });
  }
  return counts;
}

/**
 * Signs in `count` distinct users from number `first` on; each will send once, so no limit is ever hit.
 * @param {number} port
 * @param {number} first
 * @param {number} count
 * @returns {Promise<SignedInUser[]>}
 */
function signIn(port, first, count) {
  return inParallel(count, CONNECTIONS, async (i) => ({ n: first + i, cookie: await login(port, first + i) }));
}

/**
 * Every user's code. autocannon builds a request ahead per connection that it never sends, so a few users
 * got no code from the run: they get one now, outside the measurement, to serve as spares for the verify run.
 * @param {number} port
 * @param {EmulatorChild} emulator
 * @param {SignedInUser[]} users
 * @returns {Promise<{ cookie: string, body: { code: string } }[]>}
 */
async function codesFor(port, emulator, users) {
  const phoneNumbers = users.map((u) => phoneNumberOf(u.n));
  let codes = await emulator.call('codes', phoneNumbers);
  const missing = users.filter((_, i) => !codes[i]);
  for (const user of missing) await send(port, user.cookie);
  if (missing.length > 0) codes = await emulator.call('codes', phoneNumbers);
  return users.map((u, i) => {
    if (!codes[i]) throw new Error(`no code was sent to bench user ${u.n}`);
    return { cookie: u.cookie, body: { code: codes[i] } };
  });
}

/**
 * Send, then verify with the right code on each fresh challenge: one request per user, every user
 * signed in once (the app's default limits stay on). `count` wraps the runs in a Redis command count.
 * @template T
 * @param {number} port
 * @param {EmulatorChild} emulator
 * @param {number} first
 * @param {number} amount
 * @param {(run: () => Promise<LoadRun>) => Promise<T>} count
 */
async function sendThenVerify(port, emulator, first, amount, count) {
  const users = await signIn(port, first, amount + 2 * CONNECTIONS);
  const connectionsBefore = await emulator.call('connections');
  const sendRotation = users.map((u) => ({ cookie: u.cookie, body: { channel: 'sms' } }));
  const sendRun = () => load({ port, path: '/flow/2fa/send', method: 'POST', rotate: sendRotation, amount, connections: CONNECTIONS });
  const sent = await count(sendRun);
  const verifyRotation = await codesFor(port, emulator, users);
  const verifyRun = () =>
    load({ port, path: '/flow/2fa/verify', method: 'POST', rotate: verifyRotation, amount, connections: CONNECTIONS });
  const verified = await count(verifyRun);
  const connectionsOpened = (await emulator.call('connections')) - connectionsBefore;
  return { sent, verified, connectionsOpened };
}

/**
 * Runs `run` and notes the share of the CPUs other processes took meanwhile (app and emulator are ours).
 * @param {number} port
 * @param {Redis} redis
 * @param {EmulatorChild} emulator
 * @param {() => Promise<LoadRun>} run
 * @param {string} what
 * @returns {Promise<import('./types').HostedRun>}
 */
async function withHostLoad(port, redis, emulator, run, what) {
  const host = await snapshot(redis);
  const before = (await getJson(port, '/__bench/cpu')).micros + (await emulator.call('cpu'));
  const result = checkClean(await run(), what);
  const ours = (await getJson(port, '/__bench/cpu')).micros + (await emulator.call('cpu')) - before;
  return { ...result, foreign: foreignShare(host, await snapshot(redis), ours) };
}

/**
 * @param {number} port
 * @param {EmulatorChild} emulator
 * @param {Redis} redis
 * @param {import('./types').CountTarget} target
 * @param {{ amount: number, countAmount: number }} sizes
 * @returns {Promise<import('./types').Flows>}
 */
async function flows(port, emulator, redis, target, { amount, countAmount }) {
  const timed = await sendThenVerify(port, emulator, 1_000_000, amount, (run) => withHostLoad(port, redis, emulator, run, 'send/verify'));
  const counted = await sendThenVerify(port, emulator, 2_000_000, countAmount, (run) =>
    countCommands(redis, target, async () => checkClean(await run(), 'send/verify (counting)').ok),
  );
  return {
    send: { run: timed.sent, commands: counted.sent },
    verify: { run: timed.verified, commands: counted.verified },
    concurrentConnections: timed.connectionsOpened,
    amount,
  };
}

/**
 * TCP connections the app's Bandwidth client opened to the emulator over `calls` sequential calls (half
 * sends, half verifies, one user at a time), on a fresh app process so its first connection counts too.
 * @param {number} port
 * @param {EmulatorChild} emulator
 * @param {number} calls
 * @returns {Promise<import('./types').SequentialConnections>}
 */
async function sequentialConnections(port, emulator, calls) {
  const users = await signIn(port, 3_000_000, calls / 2);
  const before = await emulator.call('connections');
  for (const user of users) await send(port, user.cookie);
  const codes = await codesFor(port, emulator, users);
  for (const { cookie, body } of codes) await verify(port, cookie, body.code);
  return { calls, opened: (await emulator.call('connections')) - before };
}

/**
 * RSS and heap of a fresh app process, each after a forced GC, at checkpoints from `first` to `total`
 * requests to `path`. RSS wanders by several MB between readings; a leak shows as a steady climb.
 * @param {number} port
 * @param {string} cookie
 * @param {string} path
 * @param {{ first: number, total: number }} sizes
 */
async function memoryGrowth(port, cookie, path, { first, total }) {
  const checkpoints = [...new Set([first, total / 10, total / 2, total].map(Math.round))].sort((x, y) => x - y);
  /** @type {import('./types').MemoryPoint[]} */
  const readings = [];
  let done = 0;
  for (const at of checkpoints) {
    checkClean(await load({ port, path, cookie, amount: at - done, connections: CONNECTIONS }), `memory ${path}`);
    done = at;
    const memory = await getJson(port, '/__bench/memory');
    if (!memory.gc) throw new Error('the app process was started without --expose-gc');
    readings.push({ requests: at, ...memory });
  }
  return readings;
}

module.exports = { verifiedCookie, sideBySide, protectedCommands, flows, sequentialConnections, memoryGrowth, CONNECTIONS };
