// Refuses a state-changing request that a page of another site made the user's browser send (defence in depth next to the app's CSRF token).
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';

/**
 * A request without `Origin` or `Sec-Fetch-Site` (curl, a server, an old browser) passes: only a browser
 * says where a request came from, and the app's CSRF token covers the rest. Called before anything is
 * read or counted, so a refused request changes nothing.
 */
export function refuseCrossSite(config: MfaConfig, req: Request): void {
  const site = req.get('sec-fetch-site')?.toLowerCase();
  if (site === 'cross-site') throw new MfaError('cross_site_request');
  const origin = req.get('origin');
  if (origin === undefined) return;
  const claimed = origin.trim().toLowerCase();
  // Chromium hides a same-origin form post's origin as "null" under `Referrer-Policy: no-referrer`; its Sec-Fetch-Site still vouches for it.
  if (claimed === 'null' && site === 'same-origin') return;
  if (claimed === ownOrigin(req) || config.trustedOrigins.has(claimed)) return;
  throw new MfaError('cross_site_request');
}

/** This request's own origin as the browser saw it; `req.protocol` honours `trust proxy`. */
function ownOrigin(req: Request): string | undefined {
  const host = req.get('host');
  if (!host) return undefined;
  try {
    return new URL(`${req.protocol}://${host}`).origin;
  } catch {
    return undefined;
  }
}
