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

/** The keys a send claims: a lockout blocks it, the cooldown and the hourly count limit it; a claim records the new challenge. */
export interface SendKeys {
  lockout: string;
  cooldown: string;
  sends: string;
  /** Holds the id of the user's one live challenge; a claim replaces it, which retires the earlier code. */
  challenge: string;
}

export interface SendLimits {
  cooldownSeconds: number;
  maxSends: number;
  windowSeconds: number;
  /** The id the claim records in `challenge`, living `challengeSeconds` (the code's life). */
  challengeId: string;
  challengeSeconds: number;
}

export type SendClaim =
  | {
      claimed: true;
      /** The count of the `budget` given to `claimSend`, when the store counted it in the same step. */
      budget?: SendBudgetCount;
    }
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
  { counted: false; lockout: StoredValue } | { counted: true; attempts: number; streak: number; challenge: StoredValue | null };

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

/**
 * The keys one send is counted in, past the user's own limits. All share one Cluster hash tag (`{budgets}`)
 * so that the whole step is one script on one node; see `countSend`.
 */
export interface SendBudgetKeys {
  /** The destination number's count: a cap whatever the mode, bypassed by nothing. */
  number: string;
  /** The app-wide count (the circuit breaker). */
  ceiling: string;
  /** A map whose fields are allow-list entries. */
  allowList: string;
  /** A map of the buckets near or over budget (field: bucket key), for operators to list. */
  index: string;
  /** The budget buckets of this send (country, number prefix, client address...), each a map. */
  buckets: string[];
  /** The destination number's record of a right code (set by `creditSend`): while it lives, the buckets are bypassed. */
  known?: string;
}

/** What a right code gives back (see `creditSend`), handed to the consuming `delete` so that a store may take both in one step. */
export interface VerifiedCredit {
  buckets: string[];
  known?: { key: string; ttlSeconds: number };
}

/** What `countSend` takes, handed to `claimSend` so that a store may take both in one step. */
export interface SendBudget {
  keys: SendBudgetKeys;
  limits: SendBudgetLimits;
}

export interface BucketBudget {
  /** Unverified sends a bucket may always hold in its window. */
  unverified: number;
  /** ...or this many per verified send in the window, when that is more. */
  perVerified: number;
  windowSeconds: number;
}

export interface SendBudgetLimits {
  numberMax: number;
  numberWindowSeconds: number;
  ceilingMax: number;
  /** The ceiling count at which `ceilingWarning` is reported, once a window. */
  ceilingWarnAt: number;
  ceilingWindowSeconds: number;
  /** One per `keys.buckets`, in the same order. */
  buckets: BucketBudget[];
  /** False: monitor mode, buckets and ceiling are counted and reported but refuse nothing. */
  enforce: boolean;
  /** Allow-list entries this send would match; one of them in `keys.allowList` bypasses the buckets. */
  allowCandidates: string[];
  /** Already allowed (by the app's own options): the buckets are bypassed without looking. */
  allowListed: boolean;
}

/** A bucket at or past its budget when the send came. `first` is true for the first report of it in its window, across instances. */
export interface BucketOver {
  /** Index into `keys.buckets`. */
  bucket: number;
  sent: number;
  verified: number;
  limit: number;
  ttlMs: number;
  first: boolean;
}

export type SendBudgetCount =
  | {
      counted: true;
      /** True when the buckets were bypassed (and not counted): an allow-list entry, or a number known from a right code. */
      allowListed: boolean;
      /** Buckets that were already at their budget (monitor mode only: in enforce mode they refuse). */
      over: BucketOver[];
      /** The ceiling count with this send. */
      ceilingSent: number;
      /** True once a window, for the send that reached `ceilingWarnAt`. */
      ceilingWarning: boolean;
      /** Monitor mode past the ceiling: true for the first such send of the window. Undefined below it. */
      ceilingOverFirst?: boolean;
    }
  | { counted: false; refusal: 'number_limit'; ttlMs: number }
  | { counted: false; refusal: 'ceiling'; ttlMs: number; sent: number; first: boolean }
  | { counted: false; refusal: 'budget'; over: BucketOver[] };

/**
 * What a custom store must implement: eight methods, each atomic on its own. `checkStoreContract`
 * (express-bandwidth-mfa/testing) says whether a store keeps it.
 */
export interface MfaStore {
  /**
   * Sets the key, replacing any value and TTL, and returns true. With `onlyIfAbsent`, sets it only when it
   * does not exist (otherwise changes nothing and returns false): of many parallel callers, exactly one gets true.
   */
  set(key: string, value: string, ttlSeconds: number, onlyIfAbsent?: boolean): Promise<boolean>;
  /** The value and its remaining life, or null when absent or expired. */
  get(key: string): Promise<StoredValue | null>;
  /**
   * Deletes the keys (absent ones are ignored) and returns true. With `expected`, it is a compare-and-delete:
   * only when `keys[0]` holds `expected` are they all deleted; otherwise nothing changes and it returns false.
   * Of many callers holding the same expected value, exactly one gets true.
   *
   * Optional fast path: given `credit` (with `expected`), a store may, when the compare-and-delete succeeds, also
   * credit the send as verified in the same step, exactly as `creditSend(credit.buckets, 'verified', credit.known)`
   * would, and answer `'credited'` instead of true. A store that answers true leaves the credit to the flow, which
   * then calls `creditSend` itself, one round trip more.
   */
  delete(keys: readonly string[], expected?: string, credit?: VerifiedCredit): Promise<boolean | 'credited'>;

  /**
   * One step before a send: refuses (changing nothing) while `lockout` exists, while `cooldown` exists, or
   * when the hourly count already reached `maxSends`; otherwise claims the cooldown, counts the send and
   * sets `challenge` to `challengeId` for `challengeSeconds`.
   *
   * Optional fast path: given `budget`, a store may also count the send against it in the same step, once the
   * claim succeeds, exactly as `countSend` would, answer that count as `budget`, and, when the count refuses,
   * release the cooldown it just claimed (what the flow does after a separate `countSend` refuses). A store that
   * answers no `budget` is just as correct: the flow then calls `countSend` itself, one round trip more.
   */
  claimSend(keys: SendKeys, limits: SendLimits, budget?: SendBudget): Promise<SendClaim>;
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

  /**
   * One step after the user's own limits let a send through: refuses (counting nothing) when the number's
   * count reached `numberMax`, or in enforce mode when the ceiling is reached or a bucket's unverified sends
   * (`sent - verified`) reached the larger of `unverified` and `perVerified` × verified; otherwise counts the
   * send in the number, the ceiling and (unless allow-listed, or `known` holds a right code) every bucket. Each count's window starts with
   * its first send and is never extended. A bucket whose unverified count reaches half its budget is listed
   * in `index`.
   */
  countSend(keys: SendBudgetKeys, limits: SendBudgetLimits): Promise<SendBudgetCount>;
  /**
   * Gives back what `countSend` charged: `verified` adds a verification to each bucket (never more than its
   * sends), `unsent` takes the send back out of each count (a code that certainly never left). Keys that
   * have expired are left alone. With `known` (on `verified` only), the same step records that the
   * destination number took a right code, for `ttlSeconds` from now (each right code renews it).
   */
  creditSend(keys: string[], outcome: 'verified' | 'unsent', known?: { key: string; ttlSeconds: number }): Promise<void>;

  /** Optional: the server's eviction policy, read once at start-up to warn when it could evict a lockout. */
  evictionPolicy?(): Promise<string | undefined>;
}

/**
 * Maps (a key holding fields), for the optional parts: trusted browsers, and the operator tools of the send
 * budgets, which read the buckets `countSend` writes as maps with fields `sent` and `verified`. The built-in
 * stores implement it; a custom store without it runs with `trustedDevices: false`.
 */
export interface MfaMapStore {
  /** Sets one field of a map; the map then lives at least `ttlSeconds` more. */
  mapSet(key: string, field: string, value: string, ttlSeconds: number): Promise<void>;
  mapGet(key: string, field: string): Promise<string | null>;
  /** Every field of the map; `{}` when absent. */
  mapGetAll(key: string): Promise<Record<string, string>>;
  /** Removes one field; true when it existed. */
  mapDelete(key: string, field: string): Promise<boolean>;
}

/** The method names a store must have; checked once when the options are read. */
export const STORE_METHODS = [
  'set',
  'get',
  'delete',
  'claimSend',
  'countAttempt',
  'lock',
  'countSend',
  'creditSend',
] as const satisfies readonly (keyof MfaStore)[];

/** The method names of the map part; checked when a feature that needs it is on. */
export const MAP_STORE_METHODS = ['mapSet', 'mapGet', 'mapGetAll', 'mapDelete'] as const satisfies readonly (keyof MfaMapStore)[];
