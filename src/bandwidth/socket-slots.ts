// The client's own queue for sockets: a call waits here, not in Node's agent queue, and leaves it unsent when it cannot start in time.

/**
 * Node's agent queues a request until a socket frees and then writes it, however late: a send that
 * queued past its timeout could reach Bandwidth after its caller was told it failed. Here a call holds
 * a slot for as long as it uses a socket, at most `size` at once (the agent's `maxSockets`), and a
 * waiter that is not served by its time is taken out of the queue and never written.
 */
export class SocketSlots {
  private busy = 0;
  // Insertion order is the queue order; a waiter that gives up is deleted in O(1).
  private readonly waiting = new Set<() => void>();

  constructor(readonly size: number) {}

  /** A release function (call it once the call settled) as soon as a slot is free; undefined when `waitMs` passed first. */
  acquire(waitMs: number): Promise<(() => void) | undefined> {
    if (this.busy < this.size && this.waiting.size === 0) return Promise.resolve(this.take());
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
