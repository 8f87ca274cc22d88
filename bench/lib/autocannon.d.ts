// The part of autocannon's API the bench uses (the package ships no types): one run, its result, its `response` event.
declare module 'autocannon' {
  namespace autocannon {
    /** One request of a run; `setupRequest` rewrites it before each send. */
    interface Request {
      method?: string;
      path?: string;
      headers?: Record<string, string>;
      body?: string;
      setupRequest?: (request: Request) => Request;
    }

    interface Options {
      url: string;
      connections?: number;
      pipelining?: number;
      /** Seconds before a request counts as timed out. */
      timeout?: number;
      /** Milliseconds between two samples. */
      sampleInt?: number;
      headers?: Record<string, string>;
      requests?: Request[];
      /** Requests in all; the run ends once they are answered. */
      amount?: number;
      /** Seconds. */
      duration?: number;
    }

    interface Result {
      '2xx': number;
      non2xx: number;
      errors: number;
      timeouts: number;
      statusCodeStats: Record<string, { count: number }>;
    }

    interface Instance {
      /** Each answer: the client that got it, its status, its size and how long it took (ms). */
      on(event: 'response', listener: (client: unknown, statusCode: number, resBytes: number, responseTime: number) => void): this;
    }
  }

  function autocannon(options: autocannon.Options, callback: (error: Error | null, result: autocannon.Result) => void): autocannon.Instance;

  export = autocannon;
}
