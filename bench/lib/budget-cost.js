// What the send budgets cost a send in the store, measured quietly: one call at a time, side by side with the user's own step.
const { redisStore } = require('express-bandwidth-mfa');

/**
 * Counts the script calls the store makes through the client: its round trips.
 * @param {import('ioredis').Redis} redis
 */
function countingClient(redis) {
  const counter = { calls: 0 };
  /** @type {import('../../src/redis-client').IoRedisClientLike} */
  const client = {
    call: (command, ...args) => {
      if (/^eval/i.test(command)) counter.calls += 1;
      return redis.call(command, ...args);
    },
  };
  return { client, counter };
}

const median = (/** @type {number[]} */ values) => /** @type {number} */ ([...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]);

/**
 * `claimSend` and `countSend` taking turns, `amount` each, each for a user and a number never seen before.
 * @param {import('ioredis').Redis} redis
 * @param {string} prefix
 * @param {number} [amount]
 * @returns {Promise<import('./types').BudgetCost>}
 */
async function budgetCost(redis, prefix, amount = 1000) {
  const { client, counter } = countingClient(redis);
  const store = redisStore(client, { prefix });
  const budget = { unverified: 20, perVerified: 0.3, windowSeconds: 60 };
  const steps = {
    claimSend: (/** @type {number} */ i) =>
      // As a send claims it: the user's limits, and the new challenge recorded for the code's life (5 minutes by default).
      store.claimSend(
        { lockout: `{u:${i}}:lockout`, cooldown: `{u:${i}}:cooldown`, sends: `{u:${i}}:sends`, challenge: `{u:${i}}:challenge` },
        { cooldownSeconds: 30, maxSends: 5, windowSeconds: 60, challengeId: `bench-challenge-${i}`, challengeSeconds: 300 },
      ),
    countSend: (/** @type {number} */ i) =>
      store.countSend(
        {
          number: `{budgets}:n:${i}`,
          ceiling: '{budgets}:ceiling',
          allowList: '{budgets}:allow',
          index: '{budgets}:index',
          buckets: ['{budgets}:b:country:US', `{budgets}:b:prefix:+1201${i % 1000}`, `{budgets}:b:address:10.0.${i % 250}.1`],
        },
        {
          numberMax: 5,
          numberWindowSeconds: 60,
          ceilingMax: 1e7,
          ceilingWarnAt: 1e7,
          ceilingWindowSeconds: 60,
          buckets: [{ ...budget, unverified: 1e6 }, budget, budget],
          enforce: true,
          allowCandidates: allowCandidates(i),
          allowListed: false,
        },
      ),
  };
  /** @type {Record<keyof typeof steps, number[]>} */
  const micros = { claimSend: [], countSend: [] };
  /** @type {Record<keyof typeof steps, number>} */
  const trips = { claimSend: 0, countSend: 0 };
  // Warm both scripts into Redis's cache first.
  for (const step of Object.values(steps)) await step(-1);
  for (let i = 0; i < amount; i += 1) {
    for (const [name, step] of /** @type {[keyof typeof steps, (i: number) => Promise<unknown>][]} */ (Object.entries(steps))) {
      const calls = counter.calls;
      const started = process.hrtime.bigint();
      await step(i);
      micros[name].push(Number(process.hrtime.bigint() - started) / 1000);
      trips[name] += counter.calls - calls;
    }
  }
  return {
    amount,
    claimSend: { p50: median(micros.claimSend), trips: trips.claimSend / amount },
    countSend: { p50: median(micros.countSend), trips: trips.countSend / amount },
  };
}

/**
 * As many candidates as a real send gives the allow-list check: a country, every prefix of a number, 25 IPv4 networks.
 * @param {number} i
 */
function allowCandidates(i) {
  const number = `+1201555${String(1000 + (i % 9000))}`;
  const list = ['US'];
  for (let end = 2; end <= number.length; end += 1) list.push(number.slice(0, end));
  for (let bits = 8; bits <= 32; bits += 1) list.push(`10.0.0.0/${bits}`);
  return list;
}

module.exports = { budgetCost };
