// Parses small JSON or form bodies for the library routes when the app has not already done so.
import express, { type Request, type Response } from 'express';
import { MfaError } from '../errors';

const LIMIT = '2kb';
const parsers = [express.json({ limit: LIMIT }), express.urlencoded({ extended: false, limit: LIMIT })];

/** Resolves once the body is parsed; malformed, oversized or oddly encoded bodies become a 400. */
export async function parseBody(req: Request, res: Response): Promise<unknown> {
  for (const parser of parsers) {
    await new Promise<void>((resolve, reject) => {
      parser(req, res, (error?: unknown) => {
        if (error) reject(invalidBody(error));
        else resolve();
      });
    });
  }
  return req.body;
}

/**
 * A body-parser failure, from our parsers or the app's: its own kinds (`entity.parse.failed`,
 * `entity.too.large`, `encoding.unsupported`...) carry a `type`; a body that claims gzip or deflate and
 * is not arrives as zlib's error (`Z_DATA_ERROR`) with only a 400 status. Both are the client's fault.
 */
export function isBodyParserError(error: unknown): boolean {
  const { type, status, code } = (error ?? {}) as { type?: unknown; status?: unknown; code?: unknown };
  const fromBodyParser = typeof type === 'string' || (typeof code === 'string' && code.startsWith('Z_'));
  return fromBodyParser && typeof status === 'number' && status >= 400 && status < 500;
}

export function invalidBody(error: unknown): MfaError {
  const status = (error as { status?: unknown }).status;
  return new MfaError('invalid_request', {}, { status: status === 413 || status === 415 ? status : 400 });
}
