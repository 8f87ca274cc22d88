// The one error boundary of the library: every route and the guard run inside it, and every error ends here.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig } from '../options';
import { MfaError, isMfaError } from '../errors';
import { sendError } from './respond';
import { invalidBody, isBodyParserError } from './body';
import { refuseCrossSite } from './same-origin';
import { inWorkSlot } from '../flow/work-slots';

type Work = (config: MfaConfig, req: Request, res: Response, next: NextFunction) => Promise<void>;

export interface GuardedOptions {
  postOnly?: boolean;
  /** Where browsers are sent with `?error=<code>`: the page the form is on. Default `challengePath`. */
  errorPath?: string;
  /** A send or verify: it waits for one of the instance's work slots (`workConcurrency`) before it reads anything. */
  takesTurns?: boolean;
}

/**
 * Runs `work` so that nothing escapes: our errors and malformed bodies become their documented answer,
 * anything else (the app's own `getUser` failing, say) goes to `next` like any Express error. Nothing
 * is left as a rejected promise, on Express 4 or 5.
 */
export function guarded(name: string, config: MfaConfig, work: Work, options: GuardedOptions = {}): RequestHandler {
  const { errorPath } = options;
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    // Sends and verifications change state: only POST, even if the app mounted the route with `app.all`/`app.use`.
    if (options.postOnly && req.method !== 'POST') {
      res.set('Allow', 'POST');
      return answerError(new MfaError('invalid_request', {}, { status: 405 }), req, res, next, config, errorPath);
    }
    Promise.resolve()
      .then(() => {
        // Before the body is read or anything counted: a post another site's page made is refused untouched.
        if (options.postOnly) refuseCrossSite(config, req);
        return options.takesTurns ? inWorkSlot(config, req, () => work(config, req, res, next)) : work(config, req, res, next);
      })
      .catch((error: unknown) => answerError(error, req, res, next, config, errorPath));
  };
  Object.defineProperty(handler, 'name', { value: name });
  return handler;
}

/** The one place an error becomes an answer: ours and body-parser refusals are answered, the rest goes to `next`. */
export function answerError(
  error: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
  config: MfaConfig | undefined,
  errorPath?: string,
): void {
  const answer = isMfaError(error) ? error : isBodyParserError(error) ? invalidBody(error) : undefined;
  if (!answer) return next(error);
  config?.metrics?.refusal(answer.code);
  // Already answering (something failed after the response began): cut it off, as Express itself would.
  if (res.headersSent) {
    if (!res.writableEnded) req.socket?.destroy();
    return;
  }
  try {
    sendError(req, res, config, answer, errorPath);
  } catch (renderError) {
    next(renderError);
  }
}
