// CPU per send and per verify through the real Express stack in this process, sessions and store in Redis, next to a bare session write.
const path = require('node:path');
const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { buildApp, phoneNumberOf, emulatorBandwidth } = require('./app');
const { dispatch, sidOf } = require('./in-process');
const { median } = require('./load');
const { connect, deleteKeys } = require('./redis-count');
const { profiled } = require('./profile');

/** An instant provider: what the Bandwidth client would resolve with, without a network. */
const INSTANT_PROVIDER = { sendCode: async () => ({ id: 'bench' }), verifyCode: async () => true };

/** CPU time of this process (user + system), µs. */
const cpuNow = () => {
  const { user, system } = process.cpuUsage();
  return user + system;
};

/**
 * Times one request two ways: the CPU this process spent (what other users of the instance pay for) and the wall time.
 * @param {() => Promise<import('node:http').ServerResponse>} request
 * @param {string} what
 */
async function measured(request, what) {
  const cpu = cpuNow();
  const wall = process.hrtime.bigint();
  const res = await request();
  const sample = { cpu: cpuNow() - cpu, wall: Number(process.hrtime.bigint() - wall) / 1000 };
  if (res.statusCode !== 200) throw new Error(`flow cost: ${what} answered ${res.statusCode}`);
  return sample;
}

/**
 * The bench app on Redis sessions and the Redis store, with an extra route that does nothing but write the session once
 * (express-session's own cost: one read, one write), and a signed-in cookie maker.
 * @param {import('ioredis').Redis} redis
 * @param {string} prefix
 * @param {typeof import('express-bandwidth-mfa')} library
 * @param {object} options more options of `middleware()`
 * @param {import('express-bandwidth-mfa').MfaOptions['bandwidth']} [bandwidth] the instant provider unless given
 */
function flowApp(redis, prefix, library, options, bandwidth = INSTANT_PROVIDER) {
  const sessions = new RedisStore({ client: redis, prefix: `${prefix}sess:` });
  const bareSession = session({
    store: sessions,
    secret: 'bench-secret-not-used-anywhere-else',
    resave: false,
    saveUninitialized: false,
    name: 'sid',
  });
  const app = buildApp({
    sessionStore: sessions,
    mfaStore: library.redisStore(redis, { prefix: `${prefix}mfa:` }),
    bandwidth,
    options,
    mfa: library,
    extra: (bench) =>
      bench.post('/bare', express.json(), bareSession, (req, res) => {
        const data = /** @type {{ writes?: number }} */ (/** @type {unknown} */ (req.session));
        data.writes = (data.writes ?? 0) + 1;
        res.json({ ok: true });
      }),
  });
  /** @param {number} n */
  const signIn = async (n) => {
    const res = await dispatch(app, 'POST', '/flow/login', { body: { user: n } });
    const cookie = sidOf(res);
    if (res.statusCode !== 200 || !cookie) throw new Error(`flow cost: sign-in answered ${res.statusCode}`);
    return cookie;
  };
  return { app, signIn };
}

/** @typedef {import('./types').FlowFigures} FlowFigures */

/**
 * One user's three requests on one app: a bare session write, a send, the verify of its code.
 * @param {{ app: import('express').Express, signIn: (n: number) => Promise<string> }} bench
 * @param {number} n
 * @returns {Promise<FlowFigures>}
 */
async function oneUser({ app, signIn }, n) {
  const cookie = await signIn(n);
  const bare = await measured(() => dispatch(app, 'POST', '/bare', { cookie, body: {} }), 'bare session write');
  const send = await measured(() => dispatch(app, 'POST', '/flow/2fa/send', { cookie, body: { channel: 'sms' } }), 'send');
  const verify = await measured(() => dispatch(app, 'POST', '/flow/2fa/verify', { cookie, body: { code: '123456' } }), 'verify');
  return { bare, send, verify };
}

/**
 * One more user's send and verify on an app whose provider is the Bandwidth client: the code comes from the
 * emulator between the two, outside the timing.
 * @param {{ app: import('express').Express, signIn: (n: number) => Promise<string> }} bench
 * @param {import('./types').EmulatorChild} emulator
 * @param {number} n
 * @returns {Promise<import('./types').ClientFigures>}
 */
async function oneUserThroughClient({ app, signIn }, emulator, n) {
  const cookie = await signIn(n);
  const send = await measured(
    () => dispatch(app, 'POST', '/flow/2fa/send', { cookie, body: { channel: 'sms' } }),
    'send through the client',
  );
  const [code] = await emulator.call('codes', [phoneNumberOf(n)]);
  if (!code) throw new Error('flow cost: the emulator has no code for the send through the client');
  const verify = await measured(() => dispatch(app, 'POST', '/flow/2fa/verify', { cookie, body: { code } }), 'verify through the client');
  return { clientSend: send, clientVerify: verify };
}

/**
 * @template {string} K
 * @param {Record<K, import('./types').Sample>[]} list
 * @param {K[]} keys
 * @returns {Record<K, import('./types').Sample>}
 */
function medians(list, keys) {
  /** @type {Record<string, import('./types').Sample>} */
  const out = {};
  for (const key of keys) out[key] = { cpu: median(list.map((s) => s[key].cpu)), wall: median(list.map((s) => s[key].wall)) };
  return /** @type {Record<K, import('./types').Sample>} */ (out);
}

/** @type {('bare' | 'send' | 'verify' | 'clientSend' | 'clientVerify')[]} */
const KEYS = ['bare', 'send', 'verify', 'clientSend', 'clientVerify'];

/**
 * Request by request, `users` times: a bare session write, a send and the verify of its code, each user signed in
 * beforehand (untimed), and another user's send and verify through the Bandwidth client against `emulator`. With
 * `beforeDir` (a built older checkout), its library serves a second pair of apps in the same process and the two
 * take turns user by user, so both see the same machine. Then a CPU profile of this checkout's sends and verifies.
 * @param {{ emulator: import('./types').EmulatorChild, users?: number, first?: number, beforeDir?: string }} settings
 * @returns {Promise<import('./types').FlowCost>}
 */
async function flowCost({ emulator, users = 1500, first = 7_000_000, beforeDir }) {
  const redis = connect();
  const prefix = `mfa-bench-flow:${process.pid}:`;
  try {
    const warmUp = Math.floor(users / 5);
    // The client's users are others than the instant provider's and the profile's (at most 1 000 after them).
    const clientFirst = first + warmUp + users + 1000;
    /** @param {typeof import('express-bandwidth-mfa')} library @param {string} name */
    const appsOf = (library, name) => ({
      instant: flowApp(redis, `${prefix}${name}:`, library, {}),
      client: flowApp(redis, `${prefix}${name}-client:`, library, {}, emulatorBandwidth(emulator.info)),
    });
    /** @param {ReturnType<typeof appsOf>} apps @param {number} i @returns {Promise<FlowFigures & import('./types').ClientFigures>} */
    const round = async (apps, i) => ({
      ...(await oneUser(apps.instant, first + i)),
      ...(await oneUserThroughClient(apps.client, emulator, clientFirst + i)),
    });
    const now = appsOf(require('express-bandwidth-mfa'), 'now');
    const older = beforeDir ? appsOf(require(path.join(path.resolve(beforeDir), 'dist')), 'before') : undefined;
    await emulator.call('latency', 0);
    /** @type {(FlowFigures & import('./types').ClientFigures)[]} */
    const samples = [];
    /** @type {(FlowFigures & import('./types').ClientFigures)[]} */
    const olderSamples = [];
    for (let i = 0; i < warmUp + users; i += 1) {
      const figures = await round(now, i);
      const olderFigures = older ? await round(older, i) : undefined;
      if (i < warmUp) continue;
      samples.push(figures);
      if (olderFigures) olderSamples.push(olderFigures);
    }
    const profile = await profiled(() => sendAndVerify(now.instant.app, now.instant.signIn, first + warmUp + users, Math.min(users, 1000)));
    return { users, ...medians(samples, KEYS), profile, ...(older ? { before: medians(olderSamples, KEYS) } : {}) };
  } finally {
    await deleteKeys(redis, prefix);
    redis.disconnect();
  }
}

/**
 * `count` more users send and verify (signed in first, outside the profile).
 * @param {import('express').Express} app
 * @param {(n: number) => Promise<string>} signIn
 * @param {number} first
 * @param {number} count
 */
async function sendAndVerify(app, signIn, first, count) {
  /** @type {string[]} */
  const cookies = [];
  for (let i = 0; i < count; i += 1) cookies.push(await signIn(first + i));
  return async () => {
    for (const cookie of cookies) {
      await dispatch(app, 'POST', '/flow/2fa/send', { cookie, body: { channel: 'sms' } });
      await dispatch(app, 'POST', '/flow/2fa/verify', { cookie, body: { code: '123456' } });
    }
  };
}

module.exports = { flowCost };
