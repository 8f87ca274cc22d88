// Reads Bandwidth's answers: the documented success bodies, and its error shapes turned into BandwidthError.
import { maskNumbersIn } from '../phone/mask';
import { BandwidthError, type BandwidthErrorDetails } from './errors';
import { TransportFailure, type Answer } from './exchange';

type Operation = BandwidthErrorDetails['operation'];

/** The JSON object of a body, or undefined when it is not one (Bandwidth's gateway sometimes answers HTML). */
export function jsonObject(raw: unknown): Record<string, unknown> | undefined {
  let value = raw;
  if (typeof raw === 'string') {
    try {
      value = JSON.parse(raw);
    } catch {
      return undefined;
    }
  }
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
}

/** One 2xx field of the documented type, or a `bad_response` error. */
export function requireField<T extends 'string' | 'boolean'>(
  response: Answer,
  field: string,
  type: T,
  operation: Operation,
): T extends 'string' ? string : boolean {
  const body = jsonObject(response.data);
  const value = body?.[field];
  if (typeof value !== type || (type === 'string' && value === '')) {
    throw new BandwidthError({ kind: 'bad_response', status: response.status, operation });
  }
  return value as T extends 'string' ? string : boolean;
}

/** Maps a non-2xx answer: 400 `{error}`, 401 `{message}`, 403 `{message}` or `{Message}`, 429/500 `{error, requestId}`. */
export function errorFromResponse(response: Answer, operation: Operation): BandwidthError {
  const body = jsonObject(response.data);
  const status = response.status;
  const text = firstString(body?.error, body?.message, body?.Message, body?.error_description);
  const providerMessage = text === undefined ? undefined : maskNumbersIn(text).slice(0, 200);
  const requestId = typeof body?.requestId === 'string' ? body.requestId.slice(0, 100) : undefined;
  const common = { status, providerMessage, requestId, operation, fromBandwidth: isBandwidthErrorBody(body) };
  if (status === 400) return new BandwidthError({ kind: 'bad_request', ...common });
  if (status === 401 || status === 403) return new BandwidthError({ kind: 'unauthorized', ...common });
  if (status === 429) {
    const retryAfterSeconds = parseRetryAfter(response.headers?.['retry-after']) ?? waitFromProse(text);
    return new BandwidthError({ kind: 'rate_limited', ...common, retryAfterSeconds });
  }
  if (status >= 500) return new BandwidthError({ kind: 'server_error', ...common });
  return new BandwidthError({ kind: 'bad_response', ...common });
}

/** Bandwidth's documented error shapes; a gateway in front of it answers HTML, an empty body or something else. */
function isBandwidthErrorBody(body: Record<string, unknown> | undefined): boolean {
  if (!body) return false;
  if (typeof body.error === 'string' && typeof body.requestId === 'string') return true;
  return typeof body.message === 'string' || typeof body.Message === 'string';
}

/** No whole answer: the timeout is told apart because a send may still have gone out; an answer too large to be Bandwidth's is a bad response. */
export function errorFromTransport(error: unknown, operation: Operation): BandwidthError {
  const failure = error instanceof TransportFailure ? error : undefined;
  if (failure?.oversizedStatus !== undefined)
    return new BandwidthError({ kind: 'bad_response', status: failure.oversizedStatus, operation });
  return new BandwidthError({ kind: failure?.timedOut ? 'timeout' : 'network', operation });
}

/** `Retry-After` as seconds or an HTTP date; undefined when absent or unreadable. Capped at one day. */
export function parseRetryAfter(header: unknown, now = Date.now()): number | undefined {
  if (typeof header !== 'string' || header.trim() === '') return undefined;
  const trimmed = header.trim();
  if (/^\d+$/.test(trimmed)) return clampWait(Number(trimmed));
  const date = Date.parse(trimmed);
  return Number.isNaN(date) ? undefined : clampWait(Math.ceil((date - now) / 1000));
}

/** "please wait 2 minutes", "wait 30 seconds", "1 hour": the only place Bandwidth states the wait. */
export function waitFromProse(text: string | undefined): number | undefined {
  const match = text?.match(/(\d{1,5})\s*(second|sec|minute|min|hour)s?\b/i);
  if (!match) return undefined;
  const unit = (match[2] as string).toLowerCase();
  const factor = unit.startsWith('h') ? 3600 : unit.startsWith('m') ? 60 : 1;
  return clampWait(Number(match[1]) * factor);
}

function clampWait(seconds: number): number | undefined {
  if (!Number.isFinite(seconds) || seconds <= 0) return undefined;
  return Math.min(Math.ceil(seconds), 86_400);
}

function firstString(...values: unknown[]): string | undefined {
  return values.find((value): value is string => typeof value === 'string' && value !== '');
}
