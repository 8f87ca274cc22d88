// Sends and verifies take turns on this instance: at most `workConcurrency` of them do their work at once, so a login
// storm queues here, cheaply, instead of filling the event loop that every other route of the app shares.
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import type { FlowContext } from './context';
import { serviceUnavailable, type MfaError } from '../errors';
import { LOG_PREFIX } from '../log-prefix';
import { onceAMinuteFor } from './warning-bursts';

/** The slot each request at work holds; a request away on a provider call holds none. */
const held = new WeakMap<Request, () => void>();

/**
 * Runs `work` once a work slot is free, and gives the slot back when it settles. A request that waited
 * `workQueueTimeoutMs` without one is refused with 503 `service_unavailable` before anything is read or counted.
 */
export async function inWorkSlot(config: MfaConfig, req: Request, work: () => Promise<void>): Promise<void> {
  if (!(await takeSlot(config, req))) throw instanceBusy(config);
  try {
    await work();
  } finally {
    giveBackSlot(req);
  }
}

/**
 * Makes the provider `call` without a work slot: the call waits on Bandwidth, not on this instance, so the slot
 * serves another request meanwhile. Afterwards the request waits for a slot again, without a deadline: a code
 * that was sent (or checked) must be recorded, never refused for want of a turn.
 */
export async function awayFromWork<T>({ config, req }: FlowContext, call: () => Promise<T>): Promise<T> {
  const release = held.get(req);
  if (!release) return call();
  held.delete(req);
  release();
  try {
    return await call();
  } finally {
    held.set(req, await config.workSlots.wait());
  }
}

/**
 * The request's work slot: the one it took already (`takeTurns()`, before the app's body parser and session), or
 * one free within `workQueueTimeoutMs`. False when none was.
 */
export async function takeSlot(config: MfaConfig, req: Request): Promise<boolean> {
  if (held.has(req)) return true;
  const release = await config.workSlots.acquire(config.workQueueTimeoutMs);
  if (!release) return false;
  held.set(req, release);
  return true;
}

/** Gives back the slot the request holds, if any: at the end of its work, or when its answer ended (or its client left) first. */
export function giveBackSlot(req: Request): void {
  held.get(req)?.();
  held.delete(req);
}

/** Logged once a minute: a storm must not flood the logs. */
export function instanceBusy(config: MfaConfig): MfaError {
  onceAMinuteFor(config)(
    'work-slots-full',
    `${LOG_PREFIX}a send or verify waited ${config.workQueueTimeoutMs} ms for one of the ${config.workSlots.limit} work slots (workConcurrency) and was refused with 503: this instance has more sends and verifies than it can serve.`,
    'warn',
  );
  return serviceUnavailable();
}
