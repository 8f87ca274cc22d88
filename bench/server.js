// Bench app process: one Express app, one Redis session store, three protected routes that differ only by what is measured.
const express = require('express');
const session = require('express-session');
const { RedisStore } = require('connect-redis');
const Redis = require('ioredis');
const mfa = require('express-bandwidth-mfa');

const prefix = process.env.BENCH_PREFIX;
const redis = new Redis(process.env.REDIS_URL || 'redis://127.0.0.1:6379', { maxRetriesPerRequest: 1, commandTimeout: 1000 });

const sessions = session({
  store: new RedisStore({ client: redis, prefix: `${prefix}sess:` }),
  secret: 'bench-secret-not-used-anywhere-else',
  resave: false,
  saveUninitialized: false,
  name: 'sid',
});
const secondFactor = mfa.middleware({
  bandwidth: {
    accountId: process.env.BW_ACCOUNT_ID,
    basic: { username: 'bench-user', password: 'bench-pass' },
    messagingApplicationId: 'bench-messaging-app',
    voiceApplicationId: 'bench-voice-app',
    from: '+19195550100',
    baseUrl: process.env.BW_BASE_URL,
    timeoutMs: 5000,
  },
  getUser: (req) => req.session.user ?? null,
  store: mfa.redisStore(redis, { prefix: `${prefix}mfa:` }),
});
const ok = (_req, res) => void res.json({ ok: true });

// The same session middleware instance and the same final handler everywhere; only the measured step differs.
const onlySessions = express.Router();
onlySessions.use(sessions);
onlySessions.get('/', ok);

const withMiddleware = express.Router();
withMiddleware.use(sessions, secondFactor);
withMiddleware.get('/', ok);

const withGuard = express.Router();
withGuard.use(sessions, secondFactor);
withGuard.get('/', mfa.requireSecondFactor({ maxAgeSeconds: 900 }), ok);

// The real flow, for the verified cookie and the send/verify figures. Bench user n has number +1202nnnnnnn.
const flow = express.Router();
flow.use(express.json(), sessions, secondFactor);
flow.post('/login', (req, res, next) => {
  const n = req.body?.user;
  if (!Number.isInteger(n) || n < 0 || n > 9_999_999) return void res.status(400).json({ error: 'bad_user' });
  req.session.regenerate((error) => {
    if (error) return next(error);
    req.session.user = { id: `bench-user-${n}`, phoneNumber: `+1202${String(n).padStart(7, '0')}` };
    res.json({ ok: true });
  });
});
flow.post('/2fa/send', mfa.sendCodeRoute());
flow.post('/2fa/verify', mfa.verifyCodeRoute());

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

const app = express();
app.disable('x-powered-by');
app.use('/a', onlySessions);
app.use('/b', withMiddleware);
app.use('/c', withGuard);
app.use('/flow', flow);
app.use('/__bench', control);
app.use(mfa.errorHandler());

redis.once('ready', () => {
  const server = app.listen(0, '127.0.0.1', () => process.send({ ready: true, port: server.address().port }));
  server.keepAliveTimeout = 30_000;
});
process.on('disconnect', () => {
  redis.disconnect();
  process.exit(0);
});
