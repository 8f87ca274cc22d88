// At start-up, reads the store's eviction policy (where the client may) and warns when it could evict a lockout.
import type { MfaConfig } from '../options';
import { LOG_PREFIX } from '../log-prefix';

const checked = new WeakSet<object>();

/**
 * With any `maxmemory-policy` but `noeviction`, Redis under memory pressure deletes keys, and every key
 * of ours has a TTL, so even the `volatile-*` policies may pick a lockout. Job queues on Redis warn the
 * same way. Checked once per store; a client that may not run INFO (some managed services) is skipped.
 */
export function warnIfEvictable(config: MfaConfig): void {
  const { store, logger } = config;
  if (typeof store.evictionPolicy !== 'function' || checked.has(store)) return;
  checked.add(store);
  store.evictionPolicy().then(
    (policy) => {
      if (policy !== undefined && policy !== 'noeviction') {
        logger.warn(
          `${LOG_PREFIX}Redis maxmemory-policy is "${policy}": under memory pressure Redis may evict lockouts and attempt counters. Set maxmemory-policy to "noeviction" on the Redis that holds the store (and keep sessions elsewhere or sized apart).`,
        );
      }
    },
    () => undefined,
  );
}
