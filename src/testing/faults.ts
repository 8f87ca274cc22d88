// Fault injection for the emulator: make chosen endpoints fail the ways Bandwidth and networks fail.

export type EmulatorEndpoint = 'messaging' | 'voice' | 'verify' | 'token';

export interface FaultSpec {
  /** Which endpoint misbehaves; `any` for all of them. Default `any`. */
  endpoint?: EmulatorEndpoint | 'any';
  /** Answer with this status instead of handling the call. Without `body`/`rawBody`, Bandwidth's documented body for it. */
  status?: number;
  /** JSON body to answer with. */
  body?: unknown;
  /** Bytes to answer with as-is (malformed JSON, HTML from a gateway...). */
  rawBody?: string;
  /** Extra response headers, e.g. `{ 'Retry-After': '60' }`. */
  headers?: Record<string, string>;
  /** Wait this long before answering. */
  delayMs?: number;
  /** Never answer (the client's timeout fires). A send is handled first: the code goes out, the answer never comes. */
  hang?: boolean;
  /** Close the connection without answering. A send is handled first, like `hang`. */
  destroySocket?: boolean;
  /**
   * With `status`/`rawBody`: handle the call first (a send delivers its code), then answer with the fault,
   * as a gateway in front of Bandwidth does when it times out after Bandwidth did the work (a 504 in HTML).
   */
  afterHandling?: boolean;
  /** How many matching calls it affects. Default: every call until `clearFaults()`/`reset()`. */
  times?: number;
}

interface ActiveFault extends FaultSpec {
  remaining: number;
}

export class FaultQueue {
  private faults: ActiveFault[] = [];

  add(spec: FaultSpec): void {
    const times = spec.times ?? Number.POSITIVE_INFINITY;
    if (!(times > 0)) throw new RangeError('injectFault: `times` must be at least 1.');
    this.faults.push({ ...spec, remaining: times });
  }

  /** The first fault for this endpoint, consumed once. */
  take(endpoint: EmulatorEndpoint): FaultSpec | undefined {
    const index = this.faults.findIndex((fault) => (fault.endpoint ?? 'any') === 'any' || fault.endpoint === endpoint);
    if (index < 0) return undefined;
    const fault = this.faults[index] as ActiveFault;
    fault.remaining -= 1;
    if (fault.remaining <= 0) this.faults.splice(index, 1);
    return fault;
  }

  clear(): void {
    this.faults = [];
  }
}

/** The body Bandwidth documents for a status, so a fault looks like the real thing by default. */
export function documentedBody(status: number, requestId: string): unknown {
  if (status === 401) return { message: 'Unauthorized' };
  if (status === 403) return { Message: 'User is not authorized to access this resource with an explicit deny' };
  if (status === 429) return { error: 'This number has exceeded verification attempts, please wait 2 minutes', requestId };
  if (status === 400) return { error: 'Request is malformed or invalid', requestId };
  return { error: 'Internal Error', requestId };
}
