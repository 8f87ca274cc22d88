// `takeTurns()`: a send or verify waits for its work slot before the app's body parser and session middleware run.
import type { RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { answerError } from './boundary';
import { giveBackSlot, instanceBusy, takeSlot } from '../flow/work-slots';

/**
 * Mounted before the body parser and the session: beyond `workConcurrency` a request waits here, holding nothing
 * but its socket, and after `workQueueTimeoutMs` is refused with 503 having cost a header parse. The slot goes
 * back when the work is done or the answer ends, and at once when it comes to a client that has left.
 */
export function takeTurnsFor(config: MfaConfig): RequestHandler {
  return function takeTurns(req, res, next): void {
    let ended = false;
    const end = () => {
      ended = true;
      giveBackSlot(req);
    };
    res.once('finish', end);
    res.once('close', end);
    takeSlot(config, req).then((taken) => {
      if (ended) return giveBackSlot(req);
      if (!taken) return answerError(instanceBusy(config), req, res, next, config);
      next();
    }, next);
  };
}
