// The shared store: counters, lockouts and single-use records that must hold across sessions and app instances.
//
// Every method is atomic on its own. Keys are given without the store's prefix; the flow hash-tags
// them per user (`{u:abc}:attempts`) so that all keys of one user live on one Redis Cluster slot,
// and the methods that take several keys are only ever given keys of one user.
// TTLs are judged by the store's clock, never by the app host's.

export interface StoredValue {
  value: string;
  /** Milliseconds the key has left to live. */
  ttlMs: number;
}

/** The keys a send claims: a lockout blocks it, the cooldown and the hourly count limit it. */
export interface SendKeys {
  lockout: string;
  cooldown: string;
  sends: string;
}

export interface SendLimits {
  cooldownSeconds: number;
  maxSends: number;
  windowSeconds: number;
}

export type SendClaim =
  | { claimed: true }
  | { claimed: false; refusal: 'locked_out'; lockout: StoredValue }
  | { claimed: false; refusal: 'resend_cooldown' | 'send_limit_reached'; ttlMs: number };

/** The keys an attempt (a code, a recovery code, a trusted-device cookie) is counted in. */
export interface AttemptKeys {
  lockout: string;
  /** Attempts in the current window; a lockout pins it at the limit. */
  attempts: string;
  /** Consecutive failures: only a success resets it. */
  streak: string;
  /** Read in the same step, when the attempt is against a pending challenge. */
  challenge?: string;
}

export interface AttemptWindows {
  attemptsSeconds: number;
  streakSeconds: number;
}

export type AttemptCount =
  | { counted: false; lockout: StoredValue }
  | { counted: true; attempts: number; streak: number; challenge: StoredValue | null };

export interface LockKeys {
  lockout: string;
  /** Pinned at `pinAttempts` for as long as the lockout then lasts, so both end together. */
  attempts?: string;
}

export interface LockRequest {
  reason: string;
  seconds: number;
  pinAttempts?: number;
}

export interface MfaStore {
  /** Adds 1 and returns the new count. The TTL is set when the key is created and never extended. */
  increment(key: string, ttlSeconds: number): Promise<number>;
  /** Adds 1 and returns the new count; the key then lives at least `ttlSeconds` more (never less than before). */
  bump(key: string, ttlSeconds: number): Promise<number>;
  /** Sets the key only when it does not exist. True when it was set. */
  setIfAbsent(key: string, value: string, ttlSeconds: number): Promise<boolean>;
  /** Sets the key, replacing any value and TTL. */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** The value and its remaining life, or null when absent or expired. */
  get(key: string): Promise<StoredValue | null>;
  /** Deletes the keys; absent keys are ignored. */
  delete(...keys: string[]): Promise<void>;
  /**
   * When `key` holds `expected`, deletes it and `alsoDelete` and returns true; otherwise changes
   * nothing and returns false. Of many callers holding the same expected value, exactly one gets true.
   */
  consume(key: string, expected: string, alsoDelete?: string[]): Promise<boolean>;

  /** Sets one field of a map; the map then lives at least `ttlSeconds` more. */
  mapSet(key: string, field: string, value: string, ttlSeconds: number): Promise<void>;
  mapGet(key: string, field: string): Promise<string | null>;
  /** Every field of the map; `{}` when absent. */
  mapGetAll(key: string): Promise<Record<string, string>>;
  /** Removes one field; true when it existed. */
  mapDelete(key: string, field: string): Promise<boolean>;

  /**
   * One step before a send: refuses while `lockout` exists, while `cooldown` exists, or when the
   * hourly count already reached `maxSends`; otherwise claims the cooldown and counts the send.
   */
  claimSend(keys: SendKeys, limits: SendLimits): Promise<SendClaim>;
  /**
   * One step before checking an attempt: refuses (counting nothing) while `lockout` exists; otherwise
   * adds 1 to `attempts` (window set on creation) and to `streak` (which then lives `streakSeconds`),
   * and reads `challenge` when given.
   */
  countAttempt(keys: AttemptKeys, windows: AttemptWindows): Promise<AttemptCount>;
  /**
   * Locks for `seconds` unless the lockout already lasts longer: a lockout is only ever extended.
   * Returns the lockout that stands afterwards (its reason may be the earlier, longer one's).
   */
  lock(keys: LockKeys, request: LockRequest): Promise<StoredValue>;

  /** Optional: the server's eviction policy, read once at start-up to warn when it could evict a lockout. */
  evictionPolicy?(): Promise<string | undefined>;
}

/** The method names a store must have; checked once when the options are read. */
export const STORE_METHODS = [
  'increment', 'bump', 'setIfAbsent', 'set', 'get', 'delete', 'consume',
  'mapSet', 'mapGet', 'mapGetAll', 'mapDelete', 'claimSend', 'countAttempt', 'lock',
] as const satisfies readonly (keyof MfaStore)[];
