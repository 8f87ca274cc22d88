// One HTTP exchange with Bandwidth on Node's own client: kept-alive sockets, the caller's deadline, no redirect
// followed, never retried, and an answer of at most 64 KiB read as text.
import http from 'node:http';
import https from 'node:https';

/** Bandwidth's documented answers are a few hundred bytes; anything past this is not one of them. */
export const MAX_ANSWER_BYTES = 64 * 1024;

export interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as UTF-8 text. */
  data: string;
}

/** The exchange ended without a whole answer. */
export class TransportFailure extends Error {
  constructor(
    /** The deadline's signal ended it: a send may have gone out. */
    readonly timedOut: boolean,
    /** The status of an answer whose body ran past MAX_ANSWER_BYTES. */
    readonly oversizedStatus?: number,
  ) {
    super(timedOut ? 'the deadline ended the exchange' : 'the exchange failed without a whole answer');
    this.name = 'TransportFailure';
  }
}

export interface Exchanger {
  /** One POST; resolves with any status (the caller reads it), rejects with a TransportFailure. */
  post(url: URL, body: string, headers: Record<string, string>, signal: AbortSignal): Promise<Answer>;
  /** Closes the kept-alive sockets. */
  destroy(): void;
}

/** At most `maxSockets` connections per origin, kept open between calls. */
export function exchangerOver(maxSockets: number): Exchanger {
  const agents = {
    http: new http.Agent({ keepAlive: true, maxSockets }),
    https: new https.Agent({ keepAlive: true, maxSockets }),
  };
  return {
    post(url, body, headers, signal) {
      const secure = url.protocol === 'https:';
      return new Promise<Answer>((resolve, reject) => {
        const fail = (oversizedStatus?: number) => reject(new TransportFailure(signal.aborted, oversizedStatus));
        const options = {
          method: 'POST',
          agent: secure ? agents.https : agents.http,
          headers: { ...headers, 'Content-Length': String(Buffer.byteLength(body)) },
          // Aborting destroys the request wherever it is, queued for a socket or half answered.
          signal,
        };
        const request = (secure ? https : http).request(url, options, (response) => {
          const chunks: Buffer[] = [];
          let size = 0;
          response.on('data', (chunk: Buffer) => {
            size += chunk.length;
            if (size <= MAX_ANSWER_BYTES) return void chunks.push(chunk);
            fail(response.statusCode);
            request.destroy();
          });
          response.on('end', () =>
            resolve({ status: response.statusCode ?? 0, headers: response.headers, data: Buffer.concat(chunks, size).toString('utf8') }),
          );
          response.on('error', () => fail());
          response.on('close', () => {
            if (!response.complete) fail();
          });
        });
        request.on('error', () => fail());
        request.end(body);
      });
    },
    destroy() {
      agents.http.destroy();
      agents.https.destroy();
    },
  };
}
