// Makes sure a real Redis answers before any test runs; starts a local redis-server when none does.
const net = require('node:net');
const { randomBytes } = require('node:crypto');
const { spawnSync } = require('node:child_process');
const { DEFAULT_TEST_REDIS_URL } = require('./run-keys');

function ping(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname || '127.0.0.1', port: Number(port) || 6379 });
    const done = (ok) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(1000, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.once('data', (data) => done(String(data).startsWith('+PONG')));
  });
}

module.exports = async function globalSetup() {
  const url = process.env.REDIS_URL || DEFAULT_TEST_REDIS_URL;
  process.env.REDIS_URL = url;
  // The workers inherit it: every test prefix carries it, and the teardown deletes this run's keys only.
  process.env.MFA_TEST_RUN = randomBytes(4).toString('hex');
  if (await ping(url)) return;
  const { hostname, port } = new URL(url);
  if (!['127.0.0.1', 'localhost', '::1', '[::1]'].includes(hostname)) {
    throw new Error(`Redis at ${url} does not answer; the tests need a real Redis (set REDIS_URL).`);
  }
  const started = spawnSync(
    'redis-server',
    ['--daemonize', 'yes', '--bind', '127.0.0.1', '--port', String(port || 6379), '--save', '', '--appendonly', 'no'],
    { stdio: 'inherit' },
  );
  if (started.error || started.status !== 0) {
    throw new Error('No Redis answers and redis-server could not be started: install redis-server or set REDIS_URL.');
  }
  for (let i = 0; i < 50; i += 1) {
    if (await ping(url)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`redis-server was started but ${url} still does not answer.`);
};
