// The shared store on Redis (or Redis Cluster, or a Sentinel-managed master) through an ioredis or node-redis client.
import type { BucketOver, MfaMapStore, MfaStore, SendBudget, SendBudgetCount, StoredValue, VerifiedCredit } from './types';
import { COUNT_SEND, CREDIT_SEND } from './redis-budget-scripts';
import { CLAIM_SEND, COUNT_ATTEMPT, DELETE, GET_WITH_TTL, LOCK, MAP_DELETE, MAP_GET, MAP_GET_ALL, MAP_SET, SET } from './redis-scripts';
import type { RedisClientLike } from '../redis-client';
import { scriptRunner } from './redis-script-runner';
import { CLAIM_AND_COUNT_SEND, CONSUME_AND_CREDIT } from './redis-send-step';
import { NO_EXPIRY_TTL_MS, checkTtlSeconds } from './ttl';

export type { RedisClientLike } from '../redis-client';

export interface RedisStoreOptions {
  /**
   * Put in front of every key, so the library's keys stay apart from the app's. Must not contain `{` or `}`:
   * the keys carry their own per-user hash tag, and a brace in the prefix would change which Cluster slot they land on.
   * Default: `'mfa:'`.
   */
  prefix?: string;
}

/**
 * A store on Redis, shared by every instance of the app, so lockouts and counters hold across them
 * and across restarts.
 *
 * `client` is an ioredis `Redis` or `Cluster`, or a node-redis (`redis` v4 or v5) client from
 * `createClient()`, `createCluster()` or `createSentinel()`, connected (`await client.connect()`); the same client can hold
 * the sessions (connect-redis 8.1 takes ioredis, connect-redis 9 node-redis). Only the instance is
 * used here; neither library is a dependency. Do not give ioredis a `keyPrefix`; use `prefix` instead.
 *
 * Make a dead Redis fail fast. A store error refuses the request (HTTP 503, fail closed), but with
 * ioredis defaults a command waits in the offline queue through up to 20 reconnect attempts first.
 * Create the client with `maxRetriesPerRequest: 1` and a `commandTimeout` (e.g. 1000 ms), or with
 * `enableOfflineQueue: false` (then commands sent before the first connect fail too). node-redis
 * queues too while reconnecting; `disableOfflineQueue: true` makes it fail at once.
 *
 * Every method is one Lua script (EVALSHA, with the source sent once when Redis lacks it). Scripts
 * given several keys are only given keys of one user, which share a Cluster hash slot, or only budget keys
 * (`{budgets}`); off a Cluster, a send's claim and its budget count run as one script.
 */
export function redisStore(client: RedisClientLike, options: RedisStoreOptions = {}): MfaStore & MfaMapStore {
  const redis = scriptRunner(client);
  const prefix = options.prefix ?? 'mfa:';
  if (typeof prefix !== 'string' || /[{}]/.test(prefix)) {
    throw new TypeError(
      `redisStore \`prefix\` must be a string without \`{\` or \`}\` (keys carry their own Cluster hash tag); got ${JSON.stringify(prefix)}.`,
    );
  }
  // A Cluster keeps the user's keys and the budgets' on different slots: there a send's budget is a step of its own.
  const oneSlotForAll = !redis.cluster;
  const k = (key: string): string => prefix + key;
  const present = (...keys: (string | undefined)[]): string[] => keys.filter((key): key is string => key !== undefined).map(k);

  /** The keys and arguments of the budget script, checked. */
  const budgetCall = ({ keys, limits }: SendBudget): { keys: string[]; args: (string | number)[] } => {
    checkTtlSeconds(limits.numberWindowSeconds);
    checkTtlSeconds(limits.ceilingWindowSeconds);
    for (const bucket of limits.buckets) checkTtlSeconds(bucket.windowSeconds);
    if (limits.buckets.length !== keys.buckets.length) throw new RangeError('countSend: one budget per bucket key');
    if (limits.allowCandidates.some((entry) => /\s/.test(entry))) throw new RangeError('countSend: an allow-list candidate holds a space');
    return {
      keys: [keys.number, keys.ceiling, keys.allowList, keys.index, keys.known ?? keys.number, ...keys.buckets].map(k),
      args: [
        limits.enforce ? 1 : 0,
        limits.numberMax,
        limits.numberWindowSeconds,
        limits.ceilingMax,
        limits.ceilingWarnAt,
        limits.ceilingWindowSeconds,
        limits.allowListed ? 1 : 0,
        limits.allowCandidates.join(' '),
        ...limits.buckets.flatMap((b) => [b.unverified, b.perVerified, b.windowSeconds]),
      ],
    };
  };

  /** The keys and arguments of the credit script. */
  const creditCall = (buckets: string[], outcome: 'verified' | 'unsent', known?: VerifiedCredit['known']) => {
    if (known) checkTtlSeconds(known.ttlSeconds);
    return { keys: (known ? [...buckets, known.key] : buckets).map(k), args: [outcome, known ? known.ttlSeconds : 0] };
  };

  return {
    async set(key, value, ttlSeconds, onlyIfAbsent = false) {
      checkTtlSeconds(ttlSeconds);
      return Number(await redis.run(SET, [k(key)], [value, ttlSeconds, onlyIfAbsent ? 1 : 0])) === 1;
    },

    async get(key) {
      const reply = await redis.run(GET_WITH_TTL, [k(key)]);
      return Array.isArray(reply) ? stored(reply[0], reply[1]) : null;
    },

    async delete(keys, expected, credit) {
      if (keys.length === 0) return true;
      if (expected !== undefined && credit && oneSlotForAll) {
        const given = creditCall(credit.buckets, 'verified', credit.known);
        const reply = Number(await redis.run(CONSUME_AND_CREDIT, [...keys.map(k), ...given.keys], [expected, keys.length, ...given.args]));
        return reply === 2 ? 'credited' : reply === 1;
      }
      return Number(await redis.run(DELETE, keys.map(k), expected === undefined ? [] : [expected])) === 1;
    },

    async mapSet(key, field, value, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      await redis.run(MAP_SET, [k(key)], [field, value, ttlSeconds]);
    },

    async mapGet(key, field) {
      const value = await redis.run(MAP_GET, [k(key)], [field]);
      // HGET's bulk reply: a string, or a Buffer from a client set to return buffers; nil is null.
      return typeof value === 'string' ? value : Buffer.isBuffer(value) ? value.toString() : null;
    },

    async mapGetAll(key) {
      const flat = await redis.run(MAP_GET_ALL, [k(key)]);
      const fields: Record<string, string> = {};
      if (Array.isArray(flat)) for (let i = 0; i + 1 < flat.length; i += 2) fields[String(flat[i])] = String(flat[i + 1]);
      return fields;
    },

    async mapDelete(key, field) {
      return Number(await redis.run(MAP_DELETE, [k(key)], [field])) === 1;
    },

    async claimSend(keys, limits, budget) {
      checkTtlSeconds(limits.cooldownSeconds);
      checkTtlSeconds(limits.windowSeconds);
      checkTtlSeconds(limits.challengeSeconds);
      const claimKeys = present(keys.lockout, keys.cooldown, keys.sends, keys.challenge);
      const claimArgs = [limits.cooldownSeconds, limits.maxSends, limits.windowSeconds, limits.challengeId, limits.challengeSeconds];
      const withBudget = budget && oneSlotForAll ? budgetCall(budget) : undefined;
      const reply = withBudget
        ? await redis.run(CLAIM_AND_COUNT_SEND, [...claimKeys, ...withBudget.keys], [...claimArgs, ...withBudget.args])
        : await redis.run(CLAIM_SEND, claimKeys, claimArgs);
      const [outcome, ttl, value] = Array.isArray(reply) ? (reply as unknown[]) : [];
      if (outcome === 'claimed') return withBudget ? { claimed: true, budget: budgetCount(ttl) } : { claimed: true };
      if (outcome === 'locked_out') return { claimed: false, refusal: 'locked_out', lockout: stored(value, ttl) };
      if (outcome === 'resend_cooldown' || outcome === 'send_limit_reached') return { claimed: false, refusal: outcome, ttlMs: ttlMs(ttl) };
      throw new Error(`redisStore: unexpected answer from the ${CLAIM_SEND.name} script`);
    },

    async countAttempt(keys, windows) {
      checkTtlSeconds(windows.attemptsSeconds);
      checkTtlSeconds(windows.streakSeconds);
      const reply = await redis.run(COUNT_ATTEMPT, present(keys.lockout, keys.attempts, keys.streak, keys.challenge), [
        windows.attemptsSeconds,
        windows.streakSeconds,
      ]);
      if (!Array.isArray(reply)) throw new Error(`redisStore: unexpected answer from the ${COUNT_ATTEMPT.name} script`);
      if (Number(reply[0]) === 0) return { counted: false, lockout: stored(reply[1], reply[2]) };
      return {
        counted: true,
        attempts: Number(reply[1]),
        streak: Number(reply[2]),
        challenge: reply.length > 3 ? stored(reply[3], reply[4]) : null,
      };
    },

    async lock(keys, request) {
      checkTtlSeconds(request.seconds);
      const reply = await redis.run(LOCK, present(keys.lockout, request.pinAttempts === undefined ? undefined : keys.attempts), [
        request.reason,
        request.seconds,
        request.pinAttempts ?? 0,
      ]);
      if (!Array.isArray(reply)) throw new Error(`redisStore: unexpected answer from the ${LOCK.name} script`);
      return stored(reply[0], reply[1]);
    },

    async countSend(keys, limits) {
      const call = budgetCall({ keys, limits });
      return budgetCount(await redis.run(COUNT_SEND, call.keys, call.args));
    },

    async creditSend(keys, outcome, known) {
      const call = creditCall(keys, outcome, known);
      if (call.keys.length > 0) await redis.run(CREDIT_SEND, call.keys, call.args);
    },

    evictionPolicy: () => redis.evictionPolicy(),
  };
}

function ttlMs(pttl: unknown): number {
  const ms = Number(pttl);
  return ms < 0 ? NO_EXPIRY_TTL_MS : ms;
}

function stored(value: unknown, pttl: unknown): StoredValue {
  return { value: String(value), ttlMs: ttlMs(pttl) };
}

function budgetCount(reply: unknown): SendBudgetCount {
  const [outcome, ...rest] = Array.isArray(reply) ? (reply as unknown[]) : [];
  if (outcome === 'number_limit') return { counted: false, refusal: 'number_limit', ttlMs: ttlMs(rest[0]) };
  if (outcome === 'ceiling')
    return { counted: false, refusal: 'ceiling', ttlMs: ttlMs(rest[0]), sent: Number(rest[1]), first: Number(rest[2]) === 1 };
  if (outcome === 'budget') return { counted: false, refusal: 'budget', over: bucketsOver(rest[0]) };
  if (outcome === 'counted') {
    const ceilingOver = Number(rest[3]);
    return {
      counted: true,
      allowListed: Number(rest[0]) === 1,
      ceilingSent: Number(rest[1]),
      ceilingWarning: Number(rest[2]) === 1,
      ...(ceilingOver >= 0 ? { ceilingOverFirst: ceilingOver === 1 } : {}),
      over: bucketsOver(rest[4]),
    };
  }
  throw new Error(`redisStore: unexpected answer from the ${COUNT_SEND.name} script`);
}

function bucketsOver(list: unknown): BucketOver[] {
  if (!Array.isArray(list)) return [];
  return list.map((entry: unknown[]) => ({
    bucket: Number(entry[0]) - 1,
    sent: Number(entry[1]),
    verified: Number(entry[2]),
    limit: Number(entry[3]),
    ttlMs: ttlMs(entry[4]),
    first: Number(entry[5]) === 1,
  }));
}
