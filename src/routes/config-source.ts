// How a route finds its configuration: bound to its `createMfa` instance, or from the request (module-level API).
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';

/** Gives the configuration for a request, or throws `not_configured`; `peek` answers undefined instead, silently. */
export type ConfigSource = ((req: Request) => MfaConfig) & { peek?: (req: Request) => MfaConfig | undefined };

// A WeakMap beside the request, not a property on it: adding a property to Express's `req` cost
// ~1.5 µs of CPU per request in `npm run bench` (and slowed later reads of `req`), a WeakMap entry ~0.4 µs.
const attached = new WeakMap<Request, MfaConfig>();

/** What `middleware()` does on every request: the module-level routes then find their configuration. */
export function attachConfig(req: Request, config: MfaConfig): void {
  attached.set(req, config);
}

export function boundTo(config: MfaConfig): ConfigSource {
  return () => config;
}

/** The configuration `middleware()` attached, or a loud failure: a route without it must never let anyone through. */
export const fromRequest: ConfigSource = Object.assign((req: Request) => {
  const config = attached.get(req);
  if (!config) {
    console.error('express-bandwidth-mfa: a route was used without `app.use(mfa.middleware(options))` installed before it; the request was refused.');
    throw new MfaError('not_configured');
  }
  return config;
}, { peek: (req: Request) => attached.get(req) });

/** The configuration when there is one, for answers that can do without (English, JSON). */
export function configIfAny(source: ConfigSource, req: Request): MfaConfig | undefined {
  return source.peek ? source.peek(req) : source(req);
}

/**
 * `app.post(path, mfa.sendCodeRoute)` (no parentheses) hands Express the factory, which would then get
 * a request as its options: say so instead of hanging the request.
 */
export function refuseRequestAsOptions(name: string, first: unknown): void {
  if (typeof first === 'object' && first !== null && 'method' in first && 'headers' in first && 'socket' in first) {
    throw new TypeError(`express-bandwidth-mfa: \`${name}\` was mounted without being called. Mount \`${name}()\`, with the parentheses, which returns the handler.`);
  }
}
