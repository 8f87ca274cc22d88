// Where `middleware()` leaves the configuration for the route functions to find.
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';

// A WeakMap beside the request, not a property on it: adding a property to Express's `req` cost
// ~1.5 µs of CPU per request in `npm run bench` (and slowed later reads of `req`), a WeakMap entry
// ~0.4 µs. Kept under a global symbol so two copies of the library in one process still find it.
const REGISTRY = Symbol.for('express-bandwidth-mfa.config');
const configs: WeakMap<Request, MfaConfig> = ((globalThis as { [REGISTRY]?: WeakMap<Request, MfaConfig> })[REGISTRY] ??= new WeakMap());

export function attachConfig(req: Request, config: MfaConfig): void {
  configs.set(req, config);
}

/** The configuration, or a loud failure: a route without `middleware()` must never let anyone through. */
export function configOf(req: Request): MfaConfig {
  const config = configs.get(req);
  if (!config) {
    console.error('express-bandwidth-mfa: a route was used without `app.use(mfa.middleware(options))` installed before it; the request was refused.');
    throw new MfaError('not_configured');
  }
  return config;
}

export function maybeConfigOf(req: Request): MfaConfig | undefined {
  return configs.get(req);
}
