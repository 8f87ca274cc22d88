// One place that turns outcomes into HTTP: JSON for API clients, redirects and plain pages for browsers.
import type { Request, Response } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';

export function wantsJson(req: Request): boolean {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}

/**
 * Answers an error. Browsers are redirected to `errorPath` (default `challengePath`) with
 * `?error=<code>&wait=<seconds>`, except when they need a code first (`challengePath`) or to sign in.
 */
export function sendError(req: Request, res: Response, config: MfaConfig | undefined, error: MfaError, errorPath?: string): void {
  const retryAfter = error.fields.retryAfterSeconds;
  res.set('Cache-Control', 'no-store');
  if (retryAfter !== undefined) res.set('Retry-After', String(retryAfter));
  const message = config ? localMessage(req, config, error) : error.message;
  if (!config || wantsJson(req) || !req.accepts('html')) {
    res.status(error.status).json(error.toJSON(message));
    return;
  }
  if (error.code === 'authentication_required' || error.code === 'reauthentication_required') {
    res.redirect(303, config.loginPath);
    return;
  }
  // Refused as it is: a redirect would carry another site's post on into ours.
  if (
    error.code === 'cross_site_request' ||
    (error.status >= 500 && error.code !== 'provider_unavailable' && error.code !== 'provider_misconfigured')
  ) {
    res.status(error.status).type('text/plain').send(message);
    return;
  }
  // The wait travels with the redirect so the page can say it (`errorMessage(req)` reads both).
  const page = error.code === 'second_factor_required' ? config.challengePath : (errorPath ?? config.challengePath);
  res.redirect(303, `${page}${page.includes('?') ? '&' : '?'}error=${error.code}${retryAfter !== undefined ? `&wait=${retryAfter}` : ''}`);
}

export function localMessage(req: Request, config: MfaConfig, error: MfaError): string {
  const locale = config.locale(req);
  const wait = error.fields.retryAfterSeconds;
  return config.messages.render(locale, error.messageKey, {
    ...error.params,
    ...(error.fields.attemptsRemaining !== undefined ? { attempts: error.fields.attemptsRemaining } : {}),
    wait: wait !== undefined ? config.messages.duration(locale, wait) : config.messages.catalogue(locale).wait_unknown,
  });
}
