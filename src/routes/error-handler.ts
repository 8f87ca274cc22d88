// Error middleware: our errors get their documented answer; a failed session store gets a 503, never a pass.
import type { ErrorRequestHandler } from 'express';
import { isMfaError, serviceUnavailable } from '../errors';
import { answerError } from './boundary';
import { configIfAny, type ConfigSource } from './config-source';
import { isBodyParserError } from './body';

export function errorHandlerFor(source: ConfigSource): ErrorRequestHandler {
  return function mfaErrorHandler(error, req, res, next) {
    // express-session passes its store's failure on without setting req.session: the state is unknown.
    const answer: unknown = !isMfaError(error) && !isBodyParserError(error) && !req.session ? serviceUnavailable() : error;
    answerError(answer, req, res, next, configIfAny(source, req));
  };
}
