// Bounds the provider calls in flight in one process: beyond the bound a call is refused at once, not queued.

/**
 * Queueing behind a slow or stalled provider only turns its latency into everyone's, and a call that
 * waits past its timeout may still be sent after the user was told it failed. A refusal before any
 * state changes is cheaper and honest: the caller answers 503 with `Retry-After` straight away.
 */
export class Bulkhead {
  private inFlight = 0;

  constructor(readonly limit: number) {}

  /** A release function when a slot was free (call it exactly once, when the call settles); undefined when full. */
  tryEnter(): (() => void) | undefined {
    if (this.inFlight >= this.limit) return undefined;
    this.inFlight += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.inFlight -= 1;
    };
  }
}
