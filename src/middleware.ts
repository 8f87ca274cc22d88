// `middleware(options)`: validates the options once and hands the configuration to the route functions.
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaOptions } from './options';
import { resolveOptions } from './config/resolve';
import { attachConfig } from './routes/config-slot';
import { registerConfig } from './trusted-devices/registry';

export function middleware(options: MfaOptions): RequestHandler {
  const config = resolveOptions(options);
  registerConfig(config);
  return function bandwidthMfa(req: Request, _res: Response, next: NextFunction): void {
    attachConfig(req, config);
    next();
  };
}
