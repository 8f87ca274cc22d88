// The shared store in this process's memory: for tests, development and single-process apps only.
import type { AttemptCount, MfaMapStore, MfaStore, SendBudgetCount, SendClaim, StoredValue } from './types';
import { checkTtlSeconds } from './ttl';
import { budgetSteps } from './memory-budgets';
import { LOG_PREFIX } from '../log-prefix';

export interface MemoryStoreOptions {
  /** Where the one-time production warning goes. Default: `console`. */
  logger?: { warn(message: string): void };
  /** The store's clock in milliseconds, for tests that move time by hand. Default: `Date.now`. */
  now?: () => number;
  /** How often expired keys are swept out (reads also drop them as they meet them); at least 1000. Default: 60 000 ms. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string | Map<string, string>;
  expiresAt: number;
}

let warnedInProduction = false;

/** Same refusals as Redis, so that both stores fail the same way on a key of the wrong kind. */
const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';
const WRONG_TYPE = 'WRONGTYPE Operation against a key holding the wrong kind of value';

/**
 * A store in a `Map` of this process. Counters are not shared between app instances and lockouts do
 * not survive a restart, so an attacker can multiply their guesses by the number of instances or by
 * waiting for a deploy: use `redisStore` in production. Warns once per process when `NODE_ENV` is
 * `production`.
 *
 * Same behaviour as the Redis store. No method awaits between its reads and writes, so on Node's
 * single thread every method is atomic, the multi-key steps included.
 */
export function memoryStore(options: MemoryStoreOptions = {}): MfaStore & MfaMapStore {
  const now = options.now ?? Date.now;
  if (process.env.NODE_ENV === 'production' && !warnedInProduction) {
    warnedInProduction = true;
    (options.logger ?? console).warn(
      LOG_PREFIX +
        'memoryStore() keeps attempt counters and lockouts in this process only; they are not shared ' +
        'across instances and are lost on restart. Use redisStore() in production.',
    );
  }

  const sweepIntervalMs = options.sweepIntervalMs ?? 60_000;
  if (!Number.isFinite(sweepIntervalMs) || sweepIntervalMs < 1000) {
    throw new TypeError(`memoryStore \`sweepIntervalMs\` must be at least 1000; got ${String(sweepIntervalMs)}.`);
  }
  const entries = new Map<string, Entry>();
  startSweep(entries, now, sweepIntervalMs);

  function live(key: string): Entry | undefined {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  }

  function text(key: string): StoredValue | null {
    const entry = live(key);
    if (!entry) return null;
    if (typeof entry.value !== 'string') throw new Error(WRONG_TYPE);
    return { value: entry.value, ttlMs: entry.expiresAt - now() };
  }

  function map(key: string): Map<string, string> | undefined {
    const entry = live(key);
    if (entry && typeof entry.value === 'string') throw new Error(WRONG_TYPE);
    return entry?.value as Map<string, string> | undefined;
  }

  function put(key: string, value: string, ttlMs: number): void {
    entries.set(key, { value, expiresAt: now() + ttlMs });
  }

  /** Keeps the key for at least `ttlMs` more, never less than it already had. */
  function keepAtLeast(key: string, ttlMs: number): void {
    const entry = entries.get(key);
    if (entry) entry.expiresAt = Math.max(entry.expiresAt, now() + ttlMs);
  }

  function add(key: string, ttlSeconds: number): number {
    const entry = text(key);
    if (!entry) {
      put(key, '1', ttlSeconds * 1000);
      return 1;
    }
    if (!/^-?\d+$/.test(entry.value)) throw new Error(NOT_AN_INTEGER);
    const count = Number(entry.value) + 1;
    (entries.get(key) as Entry).value = String(count); // expiresAt untouched: retrying never extends the window
    return count;
  }

  function integerOf(value: StoredValue | null): number {
    if (!value) return 0;
    if (!/^-?\d+$/.test(value.value)) throw new Error(NOT_AN_INTEGER);
    return Number(value.value);
  }

  const budgets = budgetSteps({
    map,
    create(key, ttlMs) {
      const fields = new Map<string, string>();
      entries.set(key, { value: fields, expiresAt: now() + ttlMs });
      return fields;
    },
    ttlMs: (key) => Math.max(0, (live(key)?.expiresAt ?? now()) - now()),
    keepAtLeast,
    drop: (key) => void entries.delete(key),
    now,
  });

  return {
    async set(key, value, ttlSeconds, onlyIfAbsent = false) {
      checkTtlSeconds(ttlSeconds);
      if (onlyIfAbsent && live(key)) return false;
      put(key, value, ttlSeconds * 1000);
      return true;
    },

    async get(key) {
      return text(key);
    },

    async delete(keys, expected, credit) {
      const [first] = keys;
      if (expected !== undefined && (first === undefined || text(first)?.value !== expected)) return false;
      for (const key of keys) entries.delete(key);
      if (expected === undefined || !credit) return true;
      // A credit that cannot be taken (a broken count) is left to the flow, which reports it; the code stays consumed.
      try {
        budgets.creditSend(credit.buckets, 'verified', credit.known);
      } catch {
        return true;
      }
      return 'credited';
    },

    async mapSet(key, field, value, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      const fields = map(key);
      if (fields) fields.set(field, value);
      else entries.set(key, { value: new Map([[field, value]]), expiresAt: now() + ttlSeconds * 1000 });
      keepAtLeast(key, ttlSeconds * 1000);
    },

    async mapGet(key, field) {
      return map(key)?.get(field) ?? null;
    },

    async mapGetAll(key) {
      return Object.fromEntries(map(key) ?? []);
    },

    async mapDelete(key, field) {
      const fields = map(key);
      if (!fields?.delete(field)) return false;
      if (fields.size === 0) entries.delete(key);
      return true;
    },

    async claimSend(keys, limits, budget): Promise<SendClaim> {
      checkTtlSeconds(limits.cooldownSeconds);
      checkTtlSeconds(limits.windowSeconds);
      checkTtlSeconds(limits.challengeSeconds);
      const lockout = text(keys.lockout);
      if (lockout) return { claimed: false, refusal: 'locked_out', lockout };
      const cooldown = text(keys.cooldown);
      if (cooldown) return { claimed: false, refusal: 'resend_cooldown', ttlMs: cooldown.ttlMs };
      const sends = text(keys.sends);
      if (integerOf(sends) >= limits.maxSends) return { claimed: false, refusal: 'send_limit_reached', ttlMs: sends?.ttlMs ?? 0 };
      put(keys.cooldown, '1', limits.cooldownSeconds * 1000);
      add(keys.sends, limits.windowSeconds);
      put(keys.challenge, limits.challengeId, limits.challengeSeconds * 1000);
      if (!budget) return { claimed: true };
      // The budget in the same step: a refusal (or a broken count) gives the cooldown back, as the flow would.
      let count: SendBudgetCount;
      try {
        count = budgets.countSend(budget.keys, budget.limits);
      } catch (error) {
        entries.delete(keys.cooldown);
        throw error;
      }
      if (!count.counted) entries.delete(keys.cooldown);
      return { claimed: true, budget: count };
    },

    async countAttempt(keys, windows): Promise<AttemptCount> {
      checkTtlSeconds(windows.attemptsSeconds);
      checkTtlSeconds(windows.streakSeconds);
      const lockout = text(keys.lockout);
      if (lockout) return { counted: false, lockout };
      integerOf(text(keys.attempts));
      integerOf(text(keys.streak));
      const attempts = add(keys.attempts, windows.attemptsSeconds);
      const streak = add(keys.streak, windows.streakSeconds);
      (entries.get(keys.streak) as Entry).expiresAt = now() + windows.streakSeconds * 1000;
      return { counted: true, attempts, streak, challenge: keys.challenge === undefined ? null : text(keys.challenge) };
    },

    async countSend(keys, limits) {
      return budgets.countSend(keys, limits);
    },

    async creditSend(keys, outcome, known) {
      budgets.creditSend(keys, outcome, known);
    },

    async lock(keys, request) {
      checkTtlSeconds(request.seconds);
      const wantedMs = request.seconds * 1000;
      const current = text(keys.lockout);
      if (!current || current.ttlMs < wantedMs) put(keys.lockout, request.reason, wantedMs);
      const standing = text(keys.lockout) as StoredValue;
      if (keys.attempts !== undefined && request.pinAttempts !== undefined) put(keys.attempts, String(request.pinAttempts), standing.ttlMs);
      return standing;
    },
  };
}

/**
 * Drops expired keys now and then, so keys nobody reads again do not pile up. The timer is unref'd
 * (it never keeps the process alive) and holds the map only weakly: once the store is garbage, the
 * timer stops itself.
 */
function startSweep(entries: Map<string, Entry>, now: () => number, intervalMs: number): void {
  const ref = new WeakRef(entries);
  const timer = setInterval(() => {
    const map = ref.deref();
    if (!map) {
      clearInterval(timer);
      return;
    }
    const t = now();
    for (const [key, entry] of map) if (entry.expiresAt <= t) map.delete(key);
  }, intervalMs);
  timer.unref();
}
