// The shared store: counters, lockouts and single-use records that must hold across sessions and app instances.
//
// Every method is atomic on its own. Keys are given without the store's prefix; the flow hash-tags
// them per user (`{u:abc}:attempts`) so that all keys of one user live on one Redis Cluster slot.
// TTLs are judged by the store's clock, never by the app host's.

export interface StoredValue {
  value: string;
  /** Milliseconds the key has left to live. */
  ttlMs: number;
}

export interface MfaStore {
  /** Adds 1 and returns the new count. The TTL is set when the key is created and never extended. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Sets the key only when it does not exist. True when it was set. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Sets the key, replacing any value and TTL. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** The value and its remaining life, or null when absent or expired. */
  get(key: string): Promise<StoredValue | null>;
  /** Deletes the key only when its value equals `expected`. True for exactly one caller. */
  deleteIfEquals(key: string, expected: string): Promise<boolean>;
  /** Deletes the keys; absent keys are ignored. */
  delete(...keys: string[]): Promise<void>;
}
