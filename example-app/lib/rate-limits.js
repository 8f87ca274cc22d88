// Limits per client address in front of sign-in, sign-up and both send forms, shared through Redis when REDIS_URL is set.
'use strict';

const { createHash } = require('node:crypto');
const express = require('express');
const { rateLimit } = require('express-rate-limit');
const { RedisStore } = require('rate-limit-redis');
const { wantsJson } = require('./respond');
const { CHALLENGE_PATH, ENROL_PATH, LOGIN_PATH } = require('./paths');
const { errorPage } = require('../views/errors');

const STORE_DOWN_RETRY_SECONDS = 5;

/**
 * @param {object} deps
 * @param {{ limits: ReturnType<typeof import('./traffic-config').readTrafficConfig>['limits'], redisPrefix: string }} deps.config
 * @param {import('express-bandwidth-mfa').Mfa} deps.mfa
 * @param {import('ioredis').Redis} [deps.redis]  set with REDIS_URL: every instance counts in one place
 * @param {{ error(m: string): void }} deps.logger
 * @returns {import('express').Router} mounted before the routes it limits
 */
function trafficLimits({ config, mfa, redis, logger }) {
  const { limits, redisPrefix } = config;
  const router = express.Router();
  router.post(
    LOGIN_PATH,
    addressLimit({
      ...limits.login,
      redis,
      prefix: `${redisPrefix}login-ip:`,
      logger,
      // Guessing is what this stops; a right password costs nothing (the send limits cover what comes next).
      skipSuccessfulRequests: true,
      refusal: {
        title: 'Too many sign-in attempts',
        text: 'Too many failed sign-ins came from your network.',
        link: { href: LOGIN_PATH, text: 'Back to sign in' },
      },
    }),
  );
  router.post(
    '/signup',
    addressLimit({
      ...limits.signup,
      redis,
      prefix: `${redisPrefix}signup-ip:`,
      logger,
      refusal: {
        title: 'Too many new accounts',
        text: 'Too many accounts were created from your network.',
        link: { href: LOGIN_PATH, text: 'Sign in instead' },
      },
    }),
  );
  // The library's own guard, so an address over the limit hears the library's message on the page of its form.
  const send = (/** @type {string} */ prefix, /** @type {string} */ errorPath) =>
    mfa.sendRateLimit({
      redis,
      limit: limits.send.limit,
      windowMs: limits.send.windowMinutes * 60_000,
      prefix: `${redisPrefix}${prefix}`,
      errorPath,
    });
  router.post(`${CHALLENGE_PATH}/send`, send('send-ip:', CHALLENGE_PATH));
  router.post(`${ENROL_PATH}/send`, send('enrol-send-ip:', ENROL_PATH));
  return router;
}

/**
 * @param {object} options
 * @param {number} options.limit  requests per window and client address
 * @param {number} options.windowMinutes
 * @param {import('ioredis').Redis} [options.redis]  counts shared by every instance; this process's memory without it
 * @param {string} options.prefix  of the Redis keys
 * @param {{ error(m: string): void }} options.logger
 * @param {boolean} [options.skipSuccessfulRequests]  count failures only
 * @param {{ title: string, text: string, link: { href: string, text: string } }} options.refusal  the page of a refused request
 * @returns {import('express').RequestHandler}
 */
function addressLimit({ limit, windowMinutes, redis, prefix, logger, skipSuccessfulRequests = false, refusal }) {
  const limiter = rateLimit({
    windowMs: windowMinutes * 60_000,
    limit,
    skipSuccessfulRequests,
    standardHeaders: false,
    legacyHeaders: false,
    requestPropertyName: 'addressLimit',
    store: redis ? new RedisStore({ prefix, sendCommand: scriptsWithoutLoading(redis) }) : undefined,
    handler: (req, res) => {
      // `requestPropertyName` above: express-rate-limit's own type for a request carrying it.
      const resetTime = /** @type {import('express-rate-limit').AugmentedRequest} */ (req).addressLimit?.resetTime;
      const wait = Math.max(1, Math.ceil(((resetTime ? resetTime.getTime() : Date.now() + windowMinutes * 60_000) - Date.now()) / 1000));
      const message = `${refusal.text} Try again in ${minutes(wait)}.`;
      res.status(429).set('Retry-After', String(wait));
      if (wantsJson(req)) return res.json({ error: 'too_many_requests', message, retryAfterSeconds: wait });
      res.send(errorPage({ title: refusal.title, message, link: refusal.link }));
    },
  });
  return function addressLimitGuard(req, res, next) {
    limiter(req, res, (error) => {
      if (error === undefined) return next();
      // The count could not be kept: refuse rather than let an unlimited number of attempts through.
      logger.error(`The sign-in/sign-up limits could not reach Redis (${error?.name ?? 'error'}); the request was refused.`);
      const message = 'The service is unavailable right now. Try again in a moment.';
      res.status(503).set('Retry-After', String(STORE_DOWN_RETRY_SECONDS));
      if (wantsJson(req)) return res.json({ error: 'service_unavailable', message, retryAfterSeconds: STORE_DOWN_RETRY_SECONDS });
      res.send(errorPage({ title: 'Unavailable', message }));
    });
  };
}

/**
 * rate-limit-redis loads its scripts once, at start-up: with Redis unreachable then, every later request would
 * fail until a restart. SCRIPT LOAD is answered here with the script's SHA1 (all Redis would answer), and an
 * EVALSHA that finds no script (first use, a restart, a failover) is sent again as EVAL.
 * @param {import('ioredis').Redis} redis
 * @returns {import('rate-limit-redis').SendCommandFn}
 */
function scriptsWithoutLoading(redis) {
  /** @type {Map<string, string>} */
  const scripts = new Map();
  // ioredis types every reply as unknown; these commands answer what rate-limit-redis expects.
  const call = (/** @type {string} */ command, /** @type {string[]} */ args) =>
    /** @type {Promise<import('rate-limit-redis').RedisReply>} */ (redis.call(command, ...args));
  return async (command, ...args) => {
    const name = command.toUpperCase();
    const [first, script] = args;
    if (name === 'SCRIPT' && String(first).toUpperCase() === 'LOAD' && script !== undefined) {
      const sha1 = createHash('sha1').update(script).digest('hex');
      scripts.set(sha1, script);
      return sha1;
    }
    try {
      return await call(command, args);
    } catch (error) {
      const source = name === 'EVALSHA' && first !== undefined ? scripts.get(first) : undefined;
      if (source === undefined || !String(/** @type {{ message?: unknown } | undefined} */ (error)?.message).startsWith('NOSCRIPT'))
        throw error;
      return call('EVAL', [source, ...args.slice(1)]);
    }
  };
}

/** @param {number} seconds */
function minutes(seconds) {
  const count = Math.ceil(seconds / 60);
  return count === 1 ? '1 minute' : `${count} minutes`;
}

module.exports = { trafficLimits };
