// Where `middleware()` leaves the configuration for the route functions to find.
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';

const CONFIG = Symbol.for('express-bandwidth-mfa.config');

type WithConfig = Request & { [CONFIG]?: MfaConfig };

export function attachConfig(req: Request, config: MfaConfig): void {
  (req as WithConfig)[CONFIG] = config;
}

/** The configuration, or a loud failure: a route without `middleware()` must never let anyone through. */
export function configOf(req: Request): MfaConfig {
  const config = (req as WithConfig)[CONFIG];
  if (!config) {
    console.error('express-bandwidth-mfa: a route was used without `app.use(mfa.middleware(options))` installed before it; the request was refused.');
    throw new MfaError('not_configured');
  }
  return config;
}

export function maybeConfigOf(req: Request): MfaConfig | undefined {
  return (req as WithConfig)[CONFIG];
}
