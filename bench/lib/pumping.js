// The pumping simulation of issue 16: three attacks against a background of real users, on one app with the library's defaults and shortened windows.
const http = require('node:http');
const express = require('express');
const session = require('express-session');
const { createMfa, redisStore } = require('express-bandwidth-mfa');
const { startBandwidthEmulator } = require('express-bandwidth-mfa/testing');
const { mobileNumber, ABROAD } = require('./numbers');

/** @typedef {import('./types').PumpingSettings} PumpingSettings */
/** @typedef {import('express-bandwidth-mfa/testing').BandwidthEmulator} BandwidthEmulator */
/** @typedef {import('express-bandwidth-mfa').MfaStore} MfaStore */

/**
 * One user of the simulation: a real one, or an account of attack (a), (b), (b′) or (c).
 * @typedef {object} Task
 * @property {'real' | import('./types').AttackKind} kind
 * @property {number} at When it starts, as a share of the run (the plan's order).
 * @property {string} id
 * @property {string} number
 * @property {string} country Its country (`US`), or `+` and the calling code of a range abroad.
 * @property {string} address The client address the send comes from.
 * @property {boolean} [verifies] A real user who enters their code.
 * @property {boolean} [resends] A real user who asks for a second code.
 * @property {boolean} [returning] A real user whose number took a right code before the run.
 */

/**
 * How one send (or, with `verify:` in `error`, one verify) of a task ended; `at` is ms into the run.
 * @typedef {{ task: Task, at: number, status: number | undefined, error: string | undefined }} Outcome
 */

/**
 * A seeded generator, so two runs make the same traffic.
 * @param {number} seed
 * @returns {() => number} In [0, 1).
 */
function seeded(seed) {
  let state = seed;
  return () => {
    state = (state * 16807) % 2147483647;
    return state / 2147483647;
  };
}

/**
 * An app with the library's default budgets, windows shortened to `windowSeconds` for the run.
 * @param {object} app
 * @param {import('ioredis').Redis} app.redis
 * @param {string} app.prefix
 * @param {BandwidthEmulator} app.emulator
 * @param {number} app.windowSeconds
 * @param {number} app.ceiling
 * @param {import('./types').StepTimes} app.timing
 */
function pumpedApp({ redis, prefix, emulator, windowSeconds, ceiling, timing }) {
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'pumping-bench', resave: false, saveUninitialized: false, name: 'sid' }));
  const inner = redisStore(redis, { prefix });
  // Times the two store steps of a send side by side: the user's own limits, and the budgets.
  /**
   * @template {keyof import('./types').StepTimes} K
   * @param {K} name
   * @returns {MfaStore[K]} The step, timed: it takes and gives what the store's own does.
   */
  const timed = (name) =>
    /** @type {MfaStore[K]} */ (
      async (/** @type {unknown[]} */ ...args) => {
        const started = process.hrtime.bigint();
        try {
          return await /** @type {(...args: unknown[]) => Promise<unknown>} */ (inner[name])(...args);
        } finally {
          timing[name].push(Number(process.hrtime.bigint() - started) / 1000);
        }
      }
    );
  const store = { ...inner, claimSend: timed('claimSend'), countSend: timed('countSend'), creditSend: timed('creditSend') };
  const mfa = createMfa({
    bandwidth: {
      accountId: emulator.accountId,
      baseUrl: emulator.baseUrl,
      messagingApplicationId: 'messaging-app-id',
      voiceApplicationId: 'voice-app-id',
      from: '+19195550100',
      oauth: { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: emulator.tokenUrl },
    },
    getUser: (req) => /** @type {import('./types').UserSession} */ (req.session).user ?? null,
    store,
    resendCooldownSeconds: 1,
    trustedDevices: false,
    enrolment: { savePhoneNumber: () => undefined },
    sendBudgets: {
      country: { windowSeconds },
      prefix: { windowSeconds },
      address: { windowSeconds },
      ceiling: { maxSends: ceiling, windowSeconds },
      clientAddress: (req) => req.get('x-client'),
    },
    onEvent: () => undefined,
    logger: { warn: () => undefined, error: () => undefined },
  });
  app.post('/login', (req, res) => {
    /** @type {import('./types').UserSession} */ (req.session).user = { id: req.body.id, phoneNumber: req.body.phoneNumber ?? null };
    res.json({ ok: true });
  });
  app.post('/2fa/send', mfa.sendCodeRoute());
  app.post('/2fa/verify', mfa.verifyCodeRoute());
  app.post('/2fa/enrol/send', mfa.enrolSendRoute());
  app.use(mfa.errorHandler());
  return app;
}

/**
 * @typedef {object} PostAnswer
 * @property {number | undefined} status
 * @property {{ error?: string } | undefined} body The JSON answer; undefined when it is not JSON.
 * @property {string | undefined} cookie The session cookie: the one the answer set, else the one sent.
 */

/**
 * A keep-alive JSON client of the app, each request from the client address it is given (`X-Client`).
 * @param {number} port
 */
function client(port) {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 32 });
  return {
    /**
     * @param {string} path
     * @param {unknown} body
     * @param {{ cookie?: string, address: string }} from
     * @returns {Promise<PostAnswer>}
     */
    post(path, body, { cookie, address }) {
      const payload = JSON.stringify(body);
      /** @type {import('node:http').OutgoingHttpHeaders} */
      const headers = {
        'Content-Type': 'application/json',
        Accept: 'application/json',
        'Content-Length': Buffer.byteLength(payload),
        'X-Client': address,
      };
      if (cookie) headers.Cookie = cookie;
      return new Promise((resolve, reject) => {
        const req = http.request({ host: '127.0.0.1', port, method: 'POST', path, headers, agent }, (res) => {
          /** @type {Buffer[]} */
          const chunks = [];
          res.on('data', (chunk) => chunks.push(chunk));
          res.on('end', () => {
            const sid = (res.headers['set-cookie'] || []).find((c) => c.startsWith('sid='));
            let json;
            try {
              json = JSON.parse(Buffer.concat(chunks).toString('utf8'));
            } catch {
              json = undefined;
            }
            resolve({ status: res.statusCode, body: json, cookie: sid ? sid.split(';')[0] : cookie });
          });
        });
        req.on('error', reject);
        req.end(payload);
      });
    },
    close: () => agent.destroy(),
  };
}

/**
 * The buckets a send falls in, named as the library names them (country, number less 3 digits, address).
 * @param {string} number
 * @param {string} country
 * @param {string} address
 */
function bucketsOf(number, country, address) {
  return [`country:${country}`, `prefix:${number.slice(0, -3)}`, `address:${address}`];
}

/**
 * Every task of the run, in the order they start.
 * @param {() => number} random
 * @param {PumpingSettings} settings
 */
function plan(random, settings) {
  /** @type {Task[]} */
  const tasks = [];
  /** @type {[import('./numbers').Country, number][]} */
  const countries = [
    ['US', 0.4],
    ['CA', 0.2],
    ['GB', 0.2],
    ['FR', 0.2],
  ];
  for (let i = 0; i < settings.realUsers; i += 1) {
    let pick = random();
    const [country] =
      countries.find(([, share]) => (pick -= share) < 0) ?? /** @type {[import('./numbers').Country, number]} */ (countries[0]);
    const number = mobileNumber(random, { country });
    // Real users come from many networks; a few share one (an office, a campus), two to four at a time.
    const address = `10.${Math.floor(i / 3) % 250}.${Math.floor(i / 750)}.${1 + (Math.floor(i / 3) % 200)}`;
    tasks.push({
      kind: 'real',
      at: random(),
      id: `real-${i}`,
      number,
      country,
      address,
      verifies: random() < 0.9,
      resends: random() < 0.05,
      returning: random() < settings.returningShare,
    });
  }
  // (a) one address, new accounts, numbers abroad (8 countries), never verified.
  for (let i = 0; i < settings.attackA; i += 1) {
    const [callingCode, shape] = /** @type {[string, string]} */ (ABROAD[i % 8]);
    tasks.push({
      kind: 'a',
      at: 0.2 + 0.7 * random(),
      id: `a-${i}`,
      number: mobileNumber(random, { callingCode, shape }),
      country: `+${callingCode}`,
      address: '198.51.100.66',
    });
  }
  // (b) 200 addresses, one or two accounts each, numbers in 20 ranges of one country (Latvia).
  // Ranges of 1,000 numbers: 2 and four fixed digits, three free (the library's prefix is the number less 3 digits).
  const ranges = Array.from({ length: 20 }, (_, r) => `2${String(1000 + r * 37)}`);
  let accounts = 0;
  for (let a = 0; a < 200; a += 1) {
    const count = 1 + Math.floor(random() * 2);
    for (let k = 0; k < count; k += 1, accounts += 1) {
      const shape = `${ranges[accounts % 20]}xxx`;
      tasks.push({
        kind: 'b',
        at: 0.2 + 0.7 * random(),
        id: `b-${accounts}`,
        number: mobileNumber(random, { callingCode: '371', shape }),
        country: '+371',
        address: `203.0.${a % 250}.${10 + Math.floor(a / 250)}`,
      });
    }
  }
  // (b′) the same inside a country of the background (GB): its country budget is raised by real verifications.
  const gbRanges = Array.from({ length: 20 }, (_, r) => `77${String(10000 + r * 1231)}`);
  for (let a = 0, n = 0; a < 200; a += 1) {
    const count = 1 + Math.floor(random() * 2);
    for (let k = 0; k < count; k += 1, n += 1) {
      tasks.push({
        kind: 'b2',
        at: 0.2 + 0.7 * random(),
        id: `b2-${n}`,
        number: mobileNumber(random, { callingCode: '44', shape: `${gbRanges[n % 20]}xxx` }),
        country: 'GB',
        address: `192.0.${a % 250}.${10 + Math.floor(a / 250)}`,
      });
    }
  }
  // (c) numbers over 30 countries (those of ABROAD), each account from an address of its own network.
  for (let i = 0; i < settings.attackC; i += 1) {
    const [callingCode, shape] = /** @type {[string, string]} */ (ABROAD[i % 30]);
    tasks.push({
      kind: 'c',
      at: 0.2 + 0.7 * random(),
      id: `c-${i}`,
      number: mobileNumber(random, { callingCode, shape }),
      country: `+${callingCode}`,
      address: `100.${64 + (i % 60)}.${Math.floor(i / 60)}.7`,
    });
  }
  return tasks.sort((x, y) => x.at - y.at);
}

const WARM_UP_WINDOW_SECONDS = 10;

/**
 * Before the run, returning users sign in once with a code they enter, as on an earlier day: their
 * numbers are then known. It runs on windows of 10 s and the run waits them out, so the buckets of the
 * run start empty.
 * @param {{ redis: import('ioredis').Redis, prefix: string, emulator: BandwidthEmulator, tasks: Task[], concurrency: number }} run
 */
async function warmUp({ redis, prefix, emulator, tasks, concurrency }) {
  const started = Date.now();
  const app = pumpedApp({
    redis,
    prefix,
    emulator,
    windowSeconds: WARM_UP_WINDOW_SECONDS,
    ceiling: 1e6,
    timing: { claimSend: [], countSend: [], creditSend: [] },
  });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const http1 = client(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < tasks.length) {
        const task = /** @type {Task} */ (tasks[next++]);
        const login = await http1.post('/login', { id: task.id, phoneNumber: task.number }, { address: task.address });
        const sent = await http1.post('/2fa/send', { channel: 'sms' }, { cookie: login.cookie, address: task.address });
        if (sent.status === 200)
          await http1.post('/2fa/verify', { code: emulator.lastCode(task.number) }, { cookie: sent.cookie, address: task.address });
      }
    }),
  );
  http1.close();
  server.close();
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, (WARM_UP_WINDOW_SECONDS + 1) * 1000 - (Date.now() - started))));
}

/**
 * Runs the plan with `concurrency` clients at once and returns, per attack, what went out and when it
 * was cut off, and what real users were refused, inside or outside the buckets the attacks filled.
 * @param {{ redis: import('ioredis').Redis, prefix: string, settings: PumpingSettings }} run
 * @returns {Promise<import('./types').PumpingResult>}
 */
async function runPumping({ redis, prefix, settings }) {
  const random = seeded(16);
  const emulator = await startBandwidthEmulator();
  const timing = { claimSend: [], countSend: [], creditSend: [] };
  const app = pumpedApp({ redis, prefix, emulator, windowSeconds: settings.windowSeconds, ceiling: settings.ceiling, timing });
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  const http1 = client(/** @type {import('node:net').AddressInfo} */ (server.address()).port);
  const tasks = plan(random, settings);
  await warmUp({ redis, prefix, emulator, tasks: tasks.filter((t) => t.returning), concurrency: settings.concurrency });
  const started = Date.now();
  /** @type {Outcome[]} */
  const outcomes = [];

  /** @param {Task} task */
  async function attempt(task) {
    const login = await http1.post(
      '/login',
      { id: task.id, phoneNumber: task.kind === 'real' ? task.number : null },
      { address: task.address },
    );
    const route = task.kind === 'real' ? '/2fa/send' : '/2fa/enrol/send';
    const body = task.kind === 'real' ? { channel: 'sms' } : { channel: 'sms', phoneNumber: task.number };
    const at = Date.now() - started;
    let sent = await http1.post(route, body, { cookie: login.cookie, address: task.address });
    if (task.kind === 'real' && task.resends && sent.status === 200) {
      await new Promise((resolve) => setTimeout(resolve, 1100));
      sent = await http1.post(route, body, { cookie: login.cookie, address: task.address });
    }
    outcomes.push({ task, at, status: sent.status, error: sent.body?.error });
    if (task.kind === 'real' && task.verifies && sent.status === 200) {
      const verified = await http1.post(
        '/2fa/verify',
        { code: emulator.lastCode(task.number) },
        { cookie: sent.cookie, address: task.address },
      );
      if (verified.status !== 200) outcomes.push({ task, at, status: verified.status, error: `verify:${verified.body?.error}` });
    }
  }

  let next = 0;
  await Promise.all(
    Array.from({ length: settings.concurrency }, async () => {
      while (next < tasks.length) await attempt(/** @type {Task} */ (tasks[next++]));
    }),
  );
  const seconds = (Date.now() - started) / 1000;
  http1.close();
  server.close();
  await emulator.close();
  return { ...summarise(outcomes, settings), seconds, timing };
}

/**
 * @param {Outcome[]} outcomes
 * @param {PumpingSettings} settings
 */
function summarise(outcomes, settings) {
  const sends = outcomes.filter((o) => !String(o.error ?? '').startsWith('verify:'));
  const attacked = new Set();
  for (const o of sends)
    if (o.task.kind !== 'real' && o.status === 200)
      for (const b of bucketsOf(o.task.number, o.task.country, o.task.address)) attacked.add(b);
  const attacks = /** @type {Record<import('./types').AttackKind, import('./types').AttackOutcome>} */ ({});
  for (const kind of /** @type {const} */ (['a', 'b', 'b2', 'c'])) {
    const own = sends.filter((o) => o.task.kind === kind).sort((x, y) => x.at - y.at);
    const firstRefusal = own.find((o) => o.status !== 200);
    /** @type {import('./types').Counts} */
    const perCountry = {};
    for (const o of own) if (o.status === 200) perCountry[o.task.country] = (perCountry[o.task.country] ?? 0) + 1;
    attacks[kind] = {
      attempts: own.length,
      sent: own.filter((o) => o.status === 200).length,
      sentBeforeCutOff: firstRefusal ? own.filter((o) => o.status === 200 && o.at <= firstRefusal.at).length : own.length,
      cutOffAfterMs: firstRefusal ? firstRefusal.at - /** @type {Outcome} */ (own[0]).at : undefined,
      refusals: countBy(
        own.filter((o) => o.status !== 200),
        (o) => o.error,
      ),
      maxPerCountry: Math.max(0, ...Object.values(perCountry)),
      countries: Object.keys(perCountry).length,
    };
  }
  const real = sends.filter((o) => o.task.kind === 'real');
  const refused = real.filter((o) => o.status !== 200);
  const inside = (/** @type {Outcome} */ o) => bucketsOf(o.task.number, o.task.country, o.task.address).some((b) => attacked.has(b));
  return {
    attacks,
    real: {
      users: real.length,
      sent: real.filter((o) => o.status === 200).length,
      refusedInside: refused.filter(inside).length,
      refusedInsideNew: refused.filter((o) => inside(o) && !o.task.returning).length,
      newInAttacked: real.filter((o) => inside(o) && !o.task.returning).length,
      refusedOutside: refused.filter((o) => !inside(o)).length,
      refusals: countBy(refused, (o) => o.error),
      verifyFailures: outcomes.filter((o) => String(o.error ?? '').startsWith('verify:')).length,
    },
    settings,
  };
}

/**
 * @template T
 * @param {T[]} list
 * @param {(item: T) => string | undefined} key
 */
function countBy(list, key) {
  /** @type {import('./types').Counts} */
  const counts = {};
  for (const item of list) counts[String(key(item))] = (counts[String(key(item))] ?? 0) + 1;
  return counts;
}

module.exports = { runPumping };
