// Where a handler gets its configuration: fixed by its `createMfa` instance, or found on the request (the module-level shape).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';
import { onceAMinute } from '../flow/warning-bursts';
import { answerError } from './boundary';
import { LOG_PREFIX } from '../log-prefix';

/** How the handlers of `handlersOver()` reach a configuration; the instance and the module-level shape each give one. */
export interface ConfigBinding {
  /** The handler `build` makes for this binding's configuration; `build` runs after the options were checked. */
  handler(name: string, build: (config: MfaConfig) => RequestHandler): RequestHandler;
  /** The configuration of a request, or `not_configured`. */
  config(req: Request): MfaConfig;
  /** The configuration when there is one, for answers that can do without (English, JSON). */
  configIfAny: (req: Request) => MfaConfig | undefined;
}

// A WeakMap beside the request, not a property on it: adding a property to Express's `req` cost
// ~1.5 µs of CPU per request in `npm run bench` (and slowed later reads of `req`), a WeakMap entry ~0.4 µs.
const attached = new WeakMap<Request, MfaConfig>();

/** What an instance's `middleware()` does on every request: the module-level handlers then find its configuration. */
export function attachConfig(req: Request, config: MfaConfig): void {
  attached.set(req, config);
}

export function boundTo(config: MfaConfig): ConfigBinding {
  return { handler: (_name, build) => build(config), config: () => config, configIfAny: () => config };
}

export const fromRequest: ConfigBinding = {
  handler: perRequest,
  config(req) {
    const config = attached.get(req);
    if (!config) throw new MfaError('not_configured');
    return config;
  },
  configIfAny: (req) => attached.get(req),
};

/**
 * A module-level handler: the one `build` makes for the configuration found on the request, made on the
 * first request of that configuration. Without one, a loud refusal: a route that cannot know its rules
 * must never let anyone through.
 */
function perRequest(name: string, build: (config: MfaConfig) => RequestHandler): RequestHandler {
  const built = new WeakMap<MfaConfig, RequestHandler>();
  // No configuration reached this request, so neither did the app's logger: `console`, the default one.
  const report = onceAMinute(console);
  const handler = (req: Request, res: Response, next: NextFunction): void => {
    const config = attached.get(req);
    if (!config) {
      const line = `${LOG_PREFIX}\`${name}()\` was used without \`app.use(mfa.middleware(options))\` installed before it; its requests are refused.`;
      report('not_configured', line);
      return answerError(new MfaError('not_configured'), req, res, next, undefined);
    }
    let own = built.get(config);
    if (!own) built.set(config, (own = build(config)));
    own(req, res, next);
  };
  Object.defineProperty(handler, 'name', { value: name });
  return handler;
}

/**
 * `app.post(path, mfa.sendCodeRoute)` (no parentheses) hands Express the factory, which would then get
 * a request as its options: say so instead of hanging the request.
 */
export function refuseRequestAsOptions(name: string, first: unknown): void {
  if (typeof first === 'object' && first !== null && 'method' in first && 'headers' in first && 'socket' in first) {
    throw new TypeError(
      `${LOG_PREFIX}\`${name}\` was mounted without being called. Mount \`${name}()\`, with the parentheses, which returns the handler.`,
    );
  }
}
