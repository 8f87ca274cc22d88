// One deadline per Bandwidth call: the wait for a token and a socket, and the HTTP exchange, all count against it.

/**
 * A call may wait for a token and a socket for at most this share of its timeout. One that could not
 * start by then is refused unsent: written with only moments left, it would time out while Bandwidth
 * delivers the code, and its user would be told the send failed.
 */
export const START_SHARE = 0.5;

export interface CallDeadline {
  /** Milliseconds left to get onto the wire; 0 once the call may no longer start. */
  startWithinMs(): number;
  /** Aborts when the whole timeout has passed; the exchange is destroyed on it, queued for a socket or not. */
  exchangeSignal(): AbortSignal;
  /** Stops the timer once the call settled. */
  end(): void;
}

export function callDeadline(timeoutMs: number, now: () => number = Date.now): CallDeadline {
  const startedAt = now();
  const startBy = startedAt + timeoutMs * START_SHARE;
  let timer: NodeJS.Timeout | undefined;
  let controller: AbortController | undefined;
  return {
    startWithinMs: () => Math.max(0, startBy - now()),
    exchangeSignal() {
      if (!controller) {
        controller = new AbortController();
        const abort = controller.abort.bind(controller);
        timer = setTimeout(abort, Math.max(0, startedAt + timeoutMs - now()));
      }
      return controller.signal;
    },
    end() {
      clearTimeout(timer);
    },
  };
}

/** `promise`, or undefined when `ms` pass first; a late rejection is swallowed (the promise may be shared). */
export function within<T>(promise: Promise<T>, ms: number): Promise<T | undefined> {
  if (ms <= 0) {
    promise.catch(() => undefined);
    return Promise.resolve(undefined);
  }
  return new Promise<T | undefined>((resolve, reject) => {
    const timer = setTimeout(() => resolve(undefined), ms);
    promise.finally(() => clearTimeout(timer)).then(resolve, reject);
  });
}
