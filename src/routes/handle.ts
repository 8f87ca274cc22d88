// Wraps a route's async work: MfaErrors become answers, anything else goes to `next` (Express 4 and 5 alike).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig } from '../options';
import { MfaError, isMfaError } from '../errors';
import { configOf, maybeConfigOf } from './config-slot';
import { sendError } from './respond';

export function mfaRoute(name: string, work: (config: MfaConfig, req: Request, res: Response) => Promise<void>): RequestHandler {
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    let config: MfaConfig | undefined;
    // Sends and verifications change state: only POST, even if the app mounted the route with `app.all`/`app.use`.
    if (req.method !== 'POST') {
      res.set('Allow', 'POST');
      return sendError(req, res, maybeConfigOf(req), new MfaError('invalid_request', {}, { status: 405 }));
    }
    Promise.resolve()
      .then(() => {
        config = configOf(req);
        return work(config, req, res);
      })
      .catch((error: unknown) => {
        if (isMfaError(error)) sendError(req, res, config ?? maybeConfigOf(req), error);
        else next(error);
      });
  };
  Object.defineProperty(handler, 'name', { value: name });
  return handler;
}
