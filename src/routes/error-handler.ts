// Error middleware: our errors get their documented answer; a failed session store gets a 503, never a pass.
import type { ErrorRequestHandler, Request } from 'express';
import type { MfaConfig } from '../options';
import { isMfaError, serviceUnavailable } from '../errors';
import { answerError } from './boundary';
import { isBodyParserError } from './body';

/** `configOf` answers undefined when the request carries no configuration: our errors are then answered in English JSON. */
export function errorHandlerFor(configOf: (req: Request) => MfaConfig | undefined): ErrorRequestHandler {
  return function mfaErrorHandler(error, req, res, next) {
    // express-session passes its store's failure on without setting req.session: the state is unknown.
    const answer: unknown = !isMfaError(error) && !isBodyParserError(error) && !req.session ? serviceUnavailable() : error;
    answerError(answer, req, res, next, configOf(req));
  };
}
