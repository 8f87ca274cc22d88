// Counts the Redis commands a load run caused, from Redis itself, and cleans up the bench's keys.
const { Redis } = require('ioredis');

/** @typedef {import('./types').Counts} Counts */

const REDIS_URL = process.env.REDIS_URL || 'redis://127.0.0.1:6379';

function connect() {
  return new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
}

/** @param {Redis} redis */
async function commandStats(redis) {
  const text = await redis.info('commandstats');
  /** @type {Counts} */
  const calls = {};
  for (const match of text.matchAll(/^cmdstat_([^:]+):calls=(\d+)/gm)) calls[/** @type {string} */ (match[1])] = Number(match[2]);
  return calls;
}

/**
 * Runs `work` and returns what Redis executed meanwhile: the `INFO commandstats` delta (every client of
 * the server, commands inside Lua scripts included), and, as a cross-check on a shared server, the
 * commands MONITOR attributes to the app's own connection (round trips, also split by whose keys they
 * touch: `owners.session`, `owners.store`) and to scripts on the bench's keys.
 * @param {Redis} redis
 * @param {import('./types').CountTarget} target
 * @param {() => Promise<number>} work Resolves with the number of requests it made.
 * @returns {Promise<import('./types').CommandCount>}
 */
async function countCommands(redis, { appRedisPort, prefix }, work) {
  // ioredis gives MONITOR a connection of its own; `redis` stays usable for INFO.
  const monitor = await redis.monitor();
  /** @type {{ roundTrips: Counts, inScripts: Counts, owners: Counts }} */
  const seen = { roundTrips: {}, inScripts: {}, owners: {} };
  monitor.on(
    'monitor',
    /**
     * @param {string} _time
     * @param {string[]} args
     * @param {string} source
     */
    (_time, args, source) => {
      const name = String(args[0]).toLowerCase();
      if (source.endsWith(`:${appRedisPort}`)) {
        bump(seen.roundTrips, name);
        bump(seen.owners, ownerOf(name, args, prefix));
      } else if (source === 'lua' && args.some((arg) => String(arg).startsWith(prefix))) bump(seen.inScripts, name);
    },
  );
  const before = await commandStats(redis);
  const requests = await work();
  await new Promise((resolve) => setTimeout(resolve, 200));
  const after = await commandStats(redis);
  monitor.disconnect();
  /** @type {Counts} */
  const delta = {};
  for (const [name, calls] of Object.entries(after)) {
    // The first INFO is counted in the second snapshot; the second is not yet counted in itself.
    const n = calls - (before[name] ?? 0) - (name === 'info' ? 1 : 0);
    if (n > 0) delta[name] = n;
  }
  return { requests, info: delta, ...seen };
}

/**
 * Whose round trip it was, from its first key: express-session's (`sess:`) or the library store's (`mfa:`).
 * @param {string} name
 * @param {string[]} args
 * @param {string} prefix
 */
function ownerOf(name, args, prefix) {
  const key = String((name === 'evalsha' || name === 'eval' ? args[3] : args[1]) ?? '');
  if (key.startsWith(`${prefix}sess:`)) return 'session';
  if (key.startsWith(`${prefix}mfa:`)) return 'store';
  return 'other';
}

/**
 * @param {Counts} counts
 * @param {string} name
 */
function bump(counts, name) {
  counts[name] = (counts[name] ?? 0) + 1;
}

/** @param {Counts} counts */
function total(counts) {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}

/**
 * `get 1, expire 1` per request, for the table.
 * @param {Counts} counts
 * @param {number} requests
 */
function perRequest(counts, requests) {
  const names = Object.keys(counts).sort();
  if (names.length === 0) return '—';
  return names.map((name) => `${name} ${round(/** @type {number} */ (counts[name]) / requests)}`).join(', ');
}

/** @param {number} n */
function round(n) {
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

/**
 * Deletes the bench's keys, and only those: SCAN on the unique prefix, then DEL.
 * @param {Redis} redis
 * @param {string} prefix
 */
async function deleteKeys(redis, prefix) {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

module.exports = { connect, countCommands, total, perRequest, round, deleteKeys };
