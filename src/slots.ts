// The one concurrency limiter: the provider calls in flight (refused at once when full), the Bandwidth client's sockets (a short wait)
// and the sends and verifies at work on this instance (a bounded wait).

/**
 * At most `limit` holders at once. `tryEnter` never waits: queueing behind a slow or stalled provider only
 * turns its latency into everyone's, so the flow refuses (503 with `Retry-After`) before any state changes.
 * `acquire` waits a bounded time, for the client's sockets: Node's agent queues a request until a socket
 * frees and then writes it, however late, so a send queued past its timeout could reach Bandwidth after its
 * caller was told it failed; here a waiter that is not served by its time leaves the queue, never written.
 */
export class Slots {
  private busy = 0;
  // Insertion order is the queue order; a waiter that gives up is deleted in O(1).
  private readonly waiting = new Set<() => void>();

  constructor(readonly limit: number) {}

  /** A release function (call it exactly once, when the call settles) when a slot is free now; undefined when full. */
  tryEnter(): (() => void) | undefined {
    return this.busy < this.limit && this.waiting.size === 0 ? this.take() : undefined;
  }

  /** A release function (call it once the call settled) as soon as a slot is free; undefined when `waitMs` passed first. */
  acquire(waitMs: number): Promise<(() => void) | undefined> {
    const now = this.tryEnter();
    if (now) return Promise.resolve(now);
    if (waitMs <= 0) return Promise.resolve(undefined);
    return new Promise((resolve) => {
      const serve = () => {
        clearTimeout(timer);
        resolve(this.take());
      };
      const timer = setTimeout(() => {
        this.waiting.delete(serve);
        resolve(undefined);
      }, waitMs);
      this.waiting.add(serve);
    });
  }

  /** A release function as soon as a slot is free, however long that takes: for work that must finish once begun. */
  wait(): Promise<() => void> {
    const now = this.tryEnter();
    if (now) return Promise.resolve(now);
    return new Promise((resolve) => this.waiting.add(() => resolve(this.take())));
  }

  get active(): number {
    return this.busy;
  }

  get queued(): number {
    return this.waiting.size;
  }

  private take(): () => void {
    this.busy += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.busy -= 1;
      const next = this.waiting.values().next();
      if (!next.done) {
        this.waiting.delete(next.value);
        next.value();
      }
    };
  }
}
