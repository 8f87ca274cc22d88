// CPU per send and per verify through the real Express stack in this process, sessions and store in Redis, next to a bare session write.
const path = require('node:path');
const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const { buildApp } = require('./app');
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
 */
function flowApp(redis, prefix, library, options) {
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
    bandwidth: INSTANT_PROVIDER,
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

/** @param {FlowFigures[]} list @returns {FlowFigures} */
function medians(list) {
  /** @param {'bare' | 'send' | 'verify'} key */
  const of = (key) => ({ cpu: median(list.map((s) => s[key].cpu)), wall: median(list.map((s) => s[key].wall)) });
  return { bare: of('bare'), send: of('send'), verify: of('verify') };
}

/**
 * Request by request, `users` times: a bare session write, a send and the verify of its code, each user signed in
 * beforehand (untimed). With `beforeDir` (a built older checkout), its library serves a second app in the same process
 * and the two take turns user by user, so both see the same machine. Then a CPU profile of this checkout's sends and verifies.
 * @param {{ users?: number, first?: number, beforeDir?: string }} [settings]
 * @returns {Promise<import('./types').FlowCost>}
 */
async function flowCost({ users = 1500, first = 7_000_000, beforeDir } = {}) {
  const redis = connect();
  const prefix = `mfa-bench-flow:${process.pid}:`;
  try {
    const now = flowApp(redis, `${prefix}now:`, require('express-bandwidth-mfa'), {});
    const older = beforeDir ? flowApp(redis, `${prefix}before:`, require(path.join(path.resolve(beforeDir), 'dist')), {}) : undefined;
    const warmUp = Math.floor(users / 5);
    /** @type {FlowFigures[]} */
    const samples = [];
    /** @type {FlowFigures[]} */
    const olderSamples = [];
    for (let i = 0; i < warmUp + users; i += 1) {
      const figures = await oneUser(now, first + i);
      const olderFigures = older ? await oneUser(older, first + i) : undefined;
      if (i < warmUp) continue;
      samples.push(figures);
      if (olderFigures) olderSamples.push(olderFigures);
    }
    const profile = await profiled(() => sendAndVerify(now.app, now.signIn, first + warmUp + users, Math.min(users, 1000)));
    return { users, ...medians(samples), profile, ...(older ? { before: medians(olderSamples) } : {}) };
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
