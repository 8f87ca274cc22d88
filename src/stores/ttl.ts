// Time units shared by every store and the flow: one place turns seconds into store TTLs and back.

/** Rejects TTLs Redis would refuse (`EX 0`, `EX 1.5`) before they reach it, and the memory store alike. */
export function checkTtlSeconds(ttlSeconds: number): void {
  if (!Number.isSafeInteger(ttlSeconds) || ttlSeconds <= 0) {
    throw new RangeError(`\`ttlSeconds\` must be a positive whole number of seconds; got ${String(ttlSeconds)}.`);
  }
}

/** A key with no time limit (never written by this library) reports this many milliseconds left. */
export const NO_EXPIRY_TTL_MS = Number.MAX_SAFE_INTEGER;

/** Whole seconds left, rounded up and at least 1, so a person is never told to come back too early. */
export function secondsLeft(ttlMs: number): number {
  return Math.max(1, Math.ceil(ttlMs / 1000));
}
