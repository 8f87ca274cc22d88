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

/** A body-parser failure (`entity.parse.failed`, `entity.too.large`, `encoding.unsupported`...), from our parsers or the app's. */
export function isBodyParserError(error: unknown): boolean {
  const { type, status } = (error ?? {}) as { type?: unknown; status?: unknown };
  return typeof type === 'string' && typeof status === 'number' && status >= 400 && status < 500;
}

export function invalidBody(error: unknown): MfaError {
  const status = (error as { status?: unknown }).status;
  return new MfaError('invalid_request', {}, { status: status === 413 || status === 415 ? status : 400 });
}
