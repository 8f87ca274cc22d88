// The measurements of the bench, one function per section of the report.
const { load, median, quantile } = require('./load');
const { countCommands } = require('./redis-count');
const { login, send, verify, getJson, inParallel, phoneNumberOf } = require('./http');

const CONNECTIONS = 10;
const VARIANTS = ['a', 'b', 'c'];

/** Drives the real flow over HTTP: sign in, send, read the code from the emulator, verify. */
async function verifiedCookie(port, emulator, n) {
  const cookie = await login(port, n);
  await send(port, cookie);
  const [code] = await emulator.call('codes', [phoneNumberOf(n)]);
  if (!code) throw new Error('the emulator has no code for the bench user');
  const verified = await verify(port, cookie, code);
  if (!verified) throw new Error('verify answered without a new session cookie');
  return verified;
}

function checkClean(run, what) {
  if (run.non2xx > 0 || run.errors > 0) {
    throw new Error(`${what}: ${run.non2xx} non-2xx answers and ${run.errors} errors (${JSON.stringify(run.statusCodes)}); the figures would be meaningless`);
  }
  return run;
}

/** One timed run, with the CPU time the app process spent on it (a figure other processes on the host disturb less). */
async function timedRun(port, options, what) {
  const before = await getJson(port, '/__bench/cpu');
  const run = checkClean(await load({ port, connections: CONNECTIONS, ...options }), what);
  const after = await getJson(port, '/__bench/cpu');
  return { ...run, cpuMicros: (after.micros - before.micros) / run.ok };
}

/**
 * (a), (b), (c) in interleaved rounds, the order rotated each round, so drift on a noisy host hits all three.
 * The host's speed wanders on a scale of seconds: many short rounds give steadier ratios than a few long ones.
 */
async function sideBySide(port, cookie, { rounds, seconds }) {
  for (const v of VARIANTS) await timedRun(port, { path: `/${v}`, cookie, duration: 1 }, `warm-up /${v}`);
  const runs = { a: [], b: [], c: [] };
  for (let round = 0; round < rounds; round += 1) {
    const order = VARIANTS.map((_, i) => VARIANTS[(i + round) % VARIANTS.length]);
    for (const v of order) runs[v].push(await timedRun(port, { path: `/${v}`, cookie, duration: seconds }, `/${v}`));
  }
  const ratios = (v, key) => runs[v].map((run, i) => run[key] / runs.a[i][key]);
  const spread = (values) => [quantile(values, 0.25), quantile(values, 0.75)];
  const summary = {};
  for (const v of VARIANTS) {
    summary[v] = {
      rps: median(runs[v].map((r) => r.rps)),
      p50: median(runs[v].map((r) => r.p50)),
      p99: median(runs[v].map((r) => r.p99)),
      cpuMicros: median(runs[v].map((r) => r.cpuMicros)),
      ratio: median(ratios(v, 'rps')),
      ratioIqr: spread(ratios(v, 'rps')),
      cpuRatio: median(ratios(v, 'cpuMicros')),
      cpuRatioIqr: spread(ratios(v, 'cpuMicros')),
    };
  }
  return summary;
}

/** Redis commands per protected request, over a fixed number of requests per variant. */
async function protectedCommands(port, cookie, redis, target, amount) {
  const counts = {};
  for (const v of VARIANTS) {
    counts[v] = await countCommands(redis, target, async () => {
      checkClean(await load({ port, path: `/${v}`, cookie, amount, connections: CONNECTIONS }), `/${v} (counting)`);
      return amount;
    });
  }
  return counts;
}

/** Signs in `count` distinct users from number `first` on; each will send once, so no limit is ever hit. */
function signIn(port, first, count) {
  return inParallel(count, CONNECTIONS, async (i) => ({ n: first + i, cookie: await login(port, first + i) }));
}

/**
 * Every user's code. autocannon builds a request ahead per connection that it never sends, so a few users
 * got no code from the run: they get one now, outside the measurement, to serve as spares for the verify run.
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
 */
async function sendThenVerify(port, emulator, first, amount, count) {
  const users = await signIn(port, first, amount + 2 * CONNECTIONS);
  const connectionsBefore = await emulator.call('connections');
  const sendRotation = users.map((u) => ({ cookie: u.cookie, body: { channel: 'sms' } }));
  const sendRun = () => load({ port, path: '/flow/2fa/send', method: 'POST', rotate: sendRotation, amount, connections: CONNECTIONS });
  const sent = await count(sendRun);
  const verifyRotation = await codesFor(port, emulator, users);
  const verifyRun = () => load({ port, path: '/flow/2fa/verify', method: 'POST', rotate: verifyRotation, amount, connections: CONNECTIONS });
  const verified = await count(verifyRun);
  const connectionsOpened = (await emulator.call('connections')) - connectionsBefore;
  return { sent, verified, connectionsOpened };
}

async function flows(port, emulator, redis, target, { amount, countAmount }) {
  const timed = await sendThenVerify(port, emulator, 1_000_000, amount, async (run) => checkClean(await run(), 'send/verify'));
  const counted = await sendThenVerify(port, emulator, 2_000_000, countAmount, (run) =>
    countCommands(redis, target, async () => checkClean(await run(), 'send/verify (counting)').ok));
  return {
    send: { run: timed.sent, commands: counted.sent },
    verify: { run: timed.verified, commands: counted.verified },
    concurrentConnections: timed.connectionsOpened,
    amount,
  };
}

/** TCP connections the app's Bandwidth client opened over `calls` sequential sends (one call each). */
async function sequentialConnections(port, emulator, calls) {
  const users = await signIn(port, 3_000_000, calls);
  const before = await emulator.call('connections');
  for (const user of users) await send(port, user.cookie);
  return { calls, opened: (await emulator.call('connections')) - before };
}

/** RSS and heap of a fresh app process after `first` and after `total` requests to `path`, each after a forced GC. */
async function memoryGrowth(port, cookie, path, { first, total }) {
  checkClean(await load({ port, path, cookie, amount: first, connections: CONNECTIONS }), `memory ${path}`);
  const early = await getJson(port, '/__bench/memory');
  checkClean(await load({ port, path, cookie, amount: total - first, connections: CONNECTIONS }), `memory ${path}`);
  const late = await getJson(port, '/__bench/memory');
  if (!early.gc) throw new Error('the app process was started without --expose-gc');
  return { first, total, early, late };
}

module.exports = { verifiedCookie, sideBySide, protectedCommands, flows, sequentialConnections, memoryGrowth, CONNECTIONS };
