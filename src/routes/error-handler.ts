// Error middleware: our errors get their documented answer; a failed session store gets a 503, never a pass.
import type { ErrorRequestHandler } from 'express';
import { MfaError, isMfaError } from '../errors';
import { maybeConfigOf } from './config-slot';
import { sendError } from './respond';
import { invalidBody, isBodyParserError } from './body';

export function errorHandler(): ErrorRequestHandler {
  return function mfaErrorHandler(error, req, res, next) {
    if (res.headersSent) return next(error);
    if (isMfaError(error)) return sendError(req, res, maybeConfigOf(req), error);
    // The app's own express.json() runs before the session: a malformed body is the client's fault, not the store's.
    if (isBodyParserError(error)) return sendError(req, res, maybeConfigOf(req), invalidBody(error));
    // express-session passes its store's failure on without setting req.session: the state is unknown.
    if (!req.session) return sendError(req, res, maybeConfigOf(req), new MfaError('service_unavailable', { retryAfterSeconds: 5 }));
    next(error);
  };
}
