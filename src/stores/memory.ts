// The shared store in this process's memory: for tests, development and single-process apps only.
import type { MfaStore } from './types';
import { checkTtlSeconds } from './ttl';

export interface MemoryStoreOptions {
  /** Where the one-time production warning goes. Default: `console`. */
  logger?: { warn(message: string): void };
  /** The store's clock in milliseconds, for tests that move time by hand. Default: `Date.now`. */
  now?: () => number;
  /** How often expired keys are swept out (reads also drop them as they meet them); at least 1000. Default: 60 000 ms. */
  sweepIntervalMs?: number;
}

interface Entry {
  value: string;
  expiresAt: number;
}

let warnedInProduction = false;

/**
 * A store in a `Map` of this process. Counters are not shared between app instances and lockouts do
 * not survive a restart, so an attacker can multiply their guesses by the number of instances or by
 * waiting for a deploy: use `redisStore` in production. Warns once per process when `NODE_ENV` is
 * `production`.
 *
 * Same behaviour as the Redis store. Each method reads and writes without awaiting in between, so on
 * Node's single thread every method is atomic.
 */
export function memoryStore(options: MemoryStoreOptions = {}): MfaStore {
  const now = options.now ?? Date.now;
  if (process.env.NODE_ENV === 'production' && !warnedInProduction) {
    warnedInProduction = true;
    (options.logger ?? console).warn(
      'express-bandwidth-mfa: memoryStore() keeps attempt counters and lockouts in this process only; they are not shared ' +
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

  function put(key: string, value: string, ttlSeconds: number): void {
    entries.set(key, { value, expiresAt: now() + ttlSeconds * 1000 });
  }

  return {
    async increment(key, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      const entry = live(key);
      if (!entry) {
        put(key, '1', ttlSeconds);
        return 1;
      }
      // Same refusal as Redis INCR on a value that is not an integer.
      if (!/^-?\d+$/.test(entry.value)) throw new Error('ERR value is not an integer or out of range');
      const count = Number(entry.value) + 1;
      entry.value = String(count); // expiresAt untouched: retrying never extends the window
      return count;
    },

    async setIfAbsent(key, value, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      if (live(key)) return false;
      put(key, value, ttlSeconds);
      return true;
    },

    async set(key, value, ttlSeconds) {
      checkTtlSeconds(ttlSeconds);
      put(key, value, ttlSeconds);
    },

    async get(key) {
      const entry = live(key);
      return entry ? { value: entry.value, ttlMs: entry.expiresAt - now() } : null;
    },

    async deleteIfEquals(key, expected) {
      if (live(key)?.value !== expected) return false;
      entries.delete(key);
      return true;
    },

    async delete(...keys) {
      for (const key of keys) entries.delete(key);
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
