// The sentence for one of our error codes, in the request's language: for pages that show `?error=<code>`.
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import { ERROR_STATUS, MfaError, type MfaErrorCode } from '../errors';
import { localMessage } from './respond';

export function errorMessageFor(
  config: MfaConfig,
  req: Request,
  code: unknown = req.query?.error,
  retryAfterSeconds: unknown = req.query?.wait,
): string | undefined {
  if (typeof code !== 'string' || !Object.prototype.hasOwnProperty.call(ERROR_STATUS, code)) return undefined;
  const wait = Number(retryAfterSeconds);
  const fields = Number.isSafeInteger(wait) && wait > 0 && wait <= 86_400 ? { retryAfterSeconds: wait } : {};
  const error =
    code === 'invalid_request'
      ? new MfaError('invalid_request', fields, { messageKey: 'invalid_code_format', params: { digits: config.digits } })
      : new MfaError(code as MfaErrorCode, fields);
  return localMessage(req, config, error);
}
