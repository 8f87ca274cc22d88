// The map part of a store, for the features that need it: trusted browsers and the send budgets' operator tools.
import { MAP_STORE_METHODS, type MfaMapStore, type MfaStore } from './types';
import { LOG_PREFIX } from '../log-prefix';

export function hasMaps(store: MfaStore): store is MfaStore & MfaMapStore {
  return MAP_STORE_METHODS.every((name) => typeof (store as unknown as Record<string, unknown>)[name] === 'function');
}

/** The store's maps, or a TypeError naming what is missing and what needs it. */
export function mapsOf(store: MfaStore, feature: string): MfaMapStore {
  if (hasMaps(store)) return store;
  throw new TypeError(
    `${LOG_PREFIX}${feature} needs a store with ${MAP_STORE_METHODS.join(', ')} (MfaMapStore); redisStore() and memoryStore() have them.`,
  );
}
