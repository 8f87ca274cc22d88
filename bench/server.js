// Bench app process: the bench app (bench/lib/app.js) on a Redis session store, against the emulator.
const express = require('express');
const { RedisStore } = require('connect-redis');
const Redis = require('ioredis');
const mfa = require('express-bandwidth-mfa');
const { buildApp } = require('./lib/app');

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

const app = buildApp({
  sessionStore: new RedisStore({ client: redis, prefix: `${prefix}sess:` }),
  mfaStore: mfa.redisStore(redis, { prefix: `${prefix}mfa:` }),
  bandwidth: {
    accountId: process.env.BW_ACCOUNT_ID,
    // OAuth2, the method Bandwidth keeps after API users go: the token is fetched once and reused.
    oauth: { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: process.env.BW_TOKEN_URL },
    messagingApplicationId: 'messaging-app-id',
    voiceApplicationId: 'voice-app-id',
    from: '+19195550100',
    baseUrl: process.env.BW_BASE_URL,
    timeoutMs: 5000,
  },
  extra: (bench) => bench.use('/__bench', control),
});

redis.once('ready', () => {
  const server = app.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));
  server.keepAliveTimeout = 30_000;
});
process.on('disconnect', () => {
  redis.disconnect();
  process.exit(0);
});
