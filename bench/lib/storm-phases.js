// The login storm: many users at once against a slow (300 ms) or stalled Bandwidth, with and without the bound on calls in flight.
const { startServer } = require('./processes');
const { login, getJson, inParallel, phoneNumberOf } = require('./http');
const { fire, fireOpen, summarize, splitAtOnsets, splitAtPauses, arrivalsOf } = require('./storm');
const { snapshot, foreignShare } = require('./host-load');
const { countCommands } = require('./redis-count');

/** @typedef {import('./types').StormContext} StormContext */
/** @typedef {import('./types').StormConfig} StormConfig */
/** @typedef {import('./types').StormResult} StormResult */
/** @typedef {import('./types').StormRun} StormRun */
/** @typedef {import('./types').SignedInUser} SignedInUser */
/** @typedef {import('./types').StormJob} StormJob */
/** @typedef {'old' | 'oldUnbounded' | 'allAtWork' | 'inRoute' | 'defaults' | 'smallYoung' | 'standIn' | 'unbounded'} ConfigId */

/** "No bound": more than any run sends at once, so every call is admitted and waits in the client's queue instead. */
const UNBOUNDED = 10_000;

/** The young generation's semi-space (MB) of the storm that measures Node's shorter collections (docs/choices.md: no advice on it). */
const SMALL_SEMI_SPACE_MB = 2;

/** More sends and verifies than the storm has open at once: none waits its turn, as before `workConcurrency`. */
const ALL_AT_WORK = 1000;

/**
 * How the app process is configured for a run; `env` goes to bench/server.js.
 * @type {Record<ConfigId, StormConfig>}
 */
const CONFIGS = {
  old: { label: '`maxSockets` 50, bound 50 (the earlier default)', env: { BENCH_MAX_SOCKETS: '50' } },
  oldUnbounded: { label: '`maxSockets` 50, no bound', env: { BENCH_MAX_SOCKETS: '50', BENCH_PROVIDER_CONCURRENCY: String(UNBOUNDED) } },
  allAtWork: {
    label: 'defaults, but no turns (`workConcurrency: {ALL}`: every send and verify at work at once, as before)',
    env: { BENCH_WORK_CONCURRENCY: String(ALL_AT_WORK) },
  },
  inRoute: {
    label: 'defaults, but the turns taken in the routes (no `takeTurns()` before the body parser and the session, as before)',
    env: { BENCH_TURNS_IN_ROUTE: '1' },
  },
  defaults: { label: 'defaults (`maxSockets` and bound {DEFAULT}, `workConcurrency` {TURNS}, `takeTurns()` mounted)', env: {} },
  // An operator's choice, not the library's: Node's young generation capped, so that each of its collections is short.
  smallYoung: {
    label: 'defaults, the app on Node with `--max-semi-space-size={SEMI}`',
    env: {},
    execArgv: [`--max-semi-space-size=${SMALL_SEMI_SPACE_MB}`],
  },
  unbounded: { label: 'default `maxSockets`, no bound', env: { BENCH_PROVIDER_CONCURRENCY: String(UNBOUNDED) } },
  standIn: {
    label: 'reference: routes with the same I/O and no library flow (session read, one Bandwidth call, session write; no store, no turns)',
    env: { BENCH_STAND_IN: '1' },
  },
};

/** How long after each phase's first request its probes count as the phase's onset. */
const ONSET_MS = 1000;

/** How long after a run the emulator is watched for late arrivals, Bandwidth answering again meanwhile. */
const SETTLE_MS = 3000;

const pause = (/** @type {number} */ ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * @param {number} port
 * @param {number} first
 * @param {number} count
 * @returns {Promise<SignedInUser[]>}
 */
function signIn(port, first, count) {
  return inParallel(count, 10, async (i) => ({ n: first + i, cookie: await login(port, first + i) }));
}

const sendJobs = (/** @type {SignedInUser[]} */ users) =>
  users.map((u) => ({ n: u.n, path: '/flow/2fa/send', body: { channel: 'sms' }, cookie: u.cookie }));

/**
 * @param {import('./types').EmulatorChild} emulator
 * @param {SignedInUser[]} users
 * @returns {Promise<StormJob[]>}
 */
async function verifyJobs(emulator, users) {
  const codes = await emulator.call(
    'codes',
    users.map((u) => phoneNumberOf(u.n)),
  );
  return users.flatMap((u, i) => (codes[i] ? [{ n: u.n, path: '/flow/2fa/verify', body: { code: codes[i] }, cookie: u.cookie }] : []));
}

/**
 * One run: a fresh app process with `config`, the protected route's quiet latency, then `storm()` with the
 * prober going, the app's event-loop delay and log lines, the TCP connections its Bandwidth client opened,
 * and what reached the emulator (and when) for the run's users.
 * @template P What `prepare` hands the storm.
 * @param {StormContext & { config: StormConfig }} context
 * @param {(port: number) => Promise<P>} prepare
 * @param {(port: number, prepared: P) => Promise<StormResult>} storm
 * @returns {Promise<StormRun>}
 */
async function run({ emulator, prefix, redis, prober, cookie, config, quietSeconds }, prepare, storm) {
  const server = await startServer({ prefix, emulator, env: { BENCH_STORM: '1', ...config.env }, execArgv: config.execArgv });
  try {
    const port = server.info.port;
    const prepared = await prepare(port);
    await prober.call('start', { port, path: '/c', cookie, intervalMs: 10 });
    await pause(quietSeconds * 1000);
    const quiet = await prober.call('stop');

    await getJson(port, '/__bench/loop');
    const mark = await emulator.call('mark');
    const connections = await emulator.call('connections');
    const host = await snapshot(redis);
    const cpu = (await getJson(port, '/__bench/cpu')).micros + (await emulator.call('cpu'));
    await prober.call('start', { port, path: '/c', cookie, intervalMs: 10 });
    const result = await storm(port, prepared);
    const during = await prober.call('stop');
    const ours = (await getJson(port, '/__bench/cpu')).micros + (await emulator.call('cpu')) - cpu;
    const foreign = foreignShare(host, await snapshot(redis), ours);
    const loop = await getJson(port, '/__bench/loop');
    const opened = (await emulator.call('connections')) - connections;
    // Bandwidth answers again: whatever was still queued anywhere would now be written. Give it time to show.
    await emulator.call('latency', result.latencyAfter);
    await pause(SETTLE_MS);
    const arrivals = await emulator.call('arrivals', mark);
    const reached = /** @type {StormRun['reached']} */ ({});
    for (const [path, endpoint] of /** @type {const} */ ([
      ['send', 'messaging'],
      ['verify', 'verify'],
    ])) {
      if (result[path]) reached[path] = arrivalsOf(result[path].records, arrivals, endpoint, phoneNumberOf);
    }
    const summary = /** @type {StormRun['summary']} */ ({});
    for (const path of /** @type {const} */ (['send', 'verify'])) if (result[path]) summary[path] = summarize(result[path].records);
    const phaseStarts = [result.send, result.verify].flatMap((phase) =>
      phase?.records.length ? [Math.min(...phase.records.map((r) => r.startedAt))] : [],
    );
    const phases = splitAtOnsets(during.samples, phaseStarts, ONSET_MS);
    const gc = splitAtPauses(during.samples, loop.gcPauses);
    return { label: config.label, summary, reached, quiet, during, phases, gc, loop, opened, foreign };
  } finally {
    await server.stop();
  }
}

/**
 * `users` users at `concurrency` against Bandwidth answering in `latencyMs`: all send, then everyone who got a
 * code verifies it. Sign-in and a warm-up send (the OAuth token) happen before the clock starts.
 * @param {StormContext} context
 * @param {StormConfig} config
 * @param {{ first: number, users: number, concurrency: number, latencyMs: number }} sizes
 */
function latencyStorm(context, config, { first, users, concurrency, latencyMs }) {
  return run(
    { ...context, config },
    async (port) => {
      await context.emulator.call('latency', latencyMs);
      const signedIn = await signIn(port, first, users + 1);
      const [warm, ...rest] = signedIn;
      await fire(port, sendJobs([/** @type {SignedInUser} */ (warm)]), 1);
      return rest;
    },
    async (port, signedIn) => {
      const send = { records: await fire(port, sendJobs(signedIn), concurrency) };
      const verify = { records: await fire(port, await verifyJobs(context.emulator, signedIn), concurrency) };
      return { send, verify, latencyAfter: latencyMs };
    },
  );
}

/**
 * Bandwidth stops answering: `sends` users send and `verifies` users (codes received before the stall) verify,
 * taking turns, arriving at `perSecond`. Nothing can succeed; what matters is how fast each is answered and
 * what still reached Bandwidth, and when.
 * @param {StormContext} context
 * @param {StormConfig} config
 * @param {{ first: number, latencyMs: number } & import('./types').StallSettings} sizes
 */
function stallStorm(context, config, { first, sends, verifies, perSecond, latencyMs, quietSeconds }) {
  // A quiet window as long as the stall, so both p99s rest on as many samples.
  return run(
    { ...context, config, quietSeconds: quietSeconds ?? context.quietSeconds },
    async (port) => {
      await context.emulator.call('latency', latencyMs);
      const signedIn = await signIn(port, first, sends + verifies + 1);
      const [warm, ...rest] = signedIn;
      await fire(port, sendJobs([/** @type {SignedInUser} */ (warm)]), 1);
      const senders = rest.slice(0, sends);
      const verifiers = rest.slice(sends);
      await fire(port, sendJobs(verifiers), 50);
      return { senders, verifications: await verifyJobs(context.emulator, verifiers) };
    },
    async (port, { senders, verifications }) => {
      await context.emulator.call('stall');
      const sending = sendJobs(senders);
      /** @type {StormJob[]} */
      const jobs = [];
      for (let i = 0; i < Math.max(sending.length, verifications.length); i += 1) {
        if (sending[i]) jobs.push(/** @type {StormJob} */ (sending[i]));
        if (verifications[i]) jobs.push(/** @type {StormJob} */ (verifications[i]));
      }
      const records = await fireOpen(port, jobs, perSecond);
      return {
        send: { records: records.filter((r) => r.path.endsWith('/send')) },
        verify: { records: records.filter((r) => r.path.endsWith('/verify')) },
        latencyAfter: latencyMs,
      };
    },
  );
}

/**
 * Redis round trips per send and per verify of an app process (this checkout's or an older one's), split by owner.
 * @param {StormContext} context
 * @param {{ dir?: string, first: number, amount: number }} run
 * @returns {Promise<import('./types').RoundTrips>}
 */
async function roundTrips({ emulator, prefix, redis }, { dir, first, amount }) {
  const server = await startServer({ prefix, emulator, dir });
  try {
    const port = server.info.port;
    await emulator.call('latency', 0);
    const target = { appRedisPort: (await getJson(port, '/__bench/redis')).port, prefix };
    const users = await signIn(port, first, amount);
    const count = (/** @type {StormJob[]} */ jobs) =>
      countCommands(redis, target, async () => {
        const records = await fire(port, jobs, 10);
        const bad = records.filter((r) => r.status !== 200);
        const [worst] = bad;
        if (worst) throw new Error(`round-trip count: ${bad.length} answers were not 200 (${worst.status} ${worst.error})`);
        return records.length;
      });
    const send = await count(sendJobs(users));
    const verify = await count(await verifyJobs(emulator, users));
    return { send, verify };
  } finally {
    await server.stop();
  }
}

/**
 * The whole section: the slow storm under three configurations, the stall with and without the bound, and the
 * round trips of this checkout and (when `beforeDir` names a built older checkout) of that one.
 * @param {StormContext} context
 * @param {import('./types').StormSettings} settings
 * @param {(message: string) => void} step Told what runs next.
 * @returns {Promise<import('./types').StormSection>}
 */
async function stormSection(context, settings, step) {
  const slow = [];
  let first = 5_000_000;
  for (const id of /** @type {const} */ (['old', 'oldUnbounded', 'allAtWork', 'inRoute', 'defaults', 'smallYoung', 'standIn'])) {
    step(`login storm at ${settings.latencyMs} ms: ${label(id, settings)}`);
    slow.push(await latencyStorm(context, { ...CONFIGS[id], label: label(id, settings) }, { first, ...settings }));
    first += 100_000;
  }
  const stalled = [];
  for (const id of /** @type {const} */ (['defaults', 'unbounded'])) {
    step(`Bandwidth stalled: ${label(id, settings)}`);
    stalled.push(
      await stallStorm(
        context,
        { ...CONFIGS[id], label: label(id, settings) },
        { first, latencyMs: settings.latencyMs, ...settings.stall },
      ),
    );
    first += 100_000;
  }
  step('Redis round trips per send and verify');
  const after = await roundTrips(context, { first, amount: settings.tripsAmount });
  first += 100_000;
  const before = settings.beforeDir
    ? await roundTrips(context, { dir: settings.beforeDir, first, amount: settings.tripsAmount })
    : undefined;
  await context.emulator.call('latency', 0);
  return {
    ...settings,
    unbounded: UNBOUNDED,
    settleSeconds: SETTLE_MS / 1000,
    slow,
    stalled,
    trips: { amount: settings.tripsAmount, after, before, beforeLabel: settings.beforeLabel },
  };
}

/**
 * @param {ConfigId} id
 * @param {import('./types').StormSettings} settings
 */
function label(id, settings) {
  return CONFIGS[id].label
    .replace('{DEFAULT}', String(settings.defaultSockets))
    .replace('{TURNS}', String(settings.defaultTurns))
    .replace('{ALL}', String(ALL_AT_WORK))
    .replace('{SEMI}', String(SMALL_SEMI_SPACE_MB));
}

module.exports = { stormSection, latencyStorm, stallStorm };
