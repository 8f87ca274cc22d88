// The test Redis index and the keys of one jest run: what global-setup.js announces and global-teardown.js checks.
const Redis = require('ioredis');

/** Index 15, not 0: apps, benchmarks and other checkouts on the same server keep their keys in 0. */
const DEFAULT_TEST_REDIS_URL = 'redis://127.0.0.1:6379/15';

/** Every key a test writes carries the run id (uniquePrefix in test/helpers/redis.ts), under an app prefix or not. */
function runPattern(run) {
  return `*mfa-test:${run}:*`;
}

function databaseOf(url) {
  return Number(new URL(url).pathname.slice(1) || 0);
}

/** The test index and, on the same server, database 0, where a test that ignored REDIS_URL would have written. */
function databasesToCheck(url) {
  if (databaseOf(url) === 0) return [url];
  const zero = new URL(url);
  zero.pathname = '/0';
  return [url, zero.href];
}

async function scanKeys(client, pattern) {
  const keys = [];
  for await (const batch of client.scanStream({ match: pattern, count: 1000 })) keys.push(...batch);
  return keys;
}

/** Deletes this run's keys and returns what was left, counted by test label ("trust", "down-healthy"...). */
async function sweepRun(url, run) {
  const client = new Redis(url, { maxRetriesPerRequest: 1, connectTimeout: 2000, lazyConnect: true });
  try {
    await client.connect();
    const keys = await scanKeys(client, runPattern(run));
    if (keys.length > 0) await client.del(...keys);
    const byLabel = {};
    for (const key of keys) {
      const label = key.slice(key.indexOf(`mfa-test:${run}:`)).split(':')[2];
      byLabel[label] = (byLabel[label] || 0) + 1;
    }
    return { count: keys.length, byLabel };
  } finally {
    client.disconnect();
  }
}

module.exports = { DEFAULT_TEST_REDIS_URL, runPattern, databaseOf, databasesToCheck, sweepRun };
