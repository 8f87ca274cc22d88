// The page's static files (script, styles), served by the page handler itself under `?asset=<name>`.
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { COUNTDOWN_SCRIPT } from './countdown-script';
import { CHALLENGE_STYLES } from './styles';
import { PASSKEY_SCRIPT } from './passkey-script';
import { webAuthnBrowserBundle } from './webauthn-bundle';

interface Asset {
  type: string;
  body: string;
  version: string;
}

function asset(type: string, body: string): Asset {
  return { type, body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
}

const ASSETS: Record<string, Asset> = {
  'challenge.js': asset('application/javascript; charset=utf-8', COUNTDOWN_SCRIPT),
  'challenge.css': asset('text/css; charset=utf-8', CHALLENGE_STYLES),
  'passkey.js': asset('application/javascript; charset=utf-8', PASSKEY_SCRIPT),
};

export type AssetName = 'challenge.js' | 'challenge.css' | 'passkey.js' | 'webauthn.js';

/** The `@simplewebauthn/browser` bundle, read from disk the first time a page offers passkeys. */
function lookUp(name: string): Asset | undefined {
  if (Object.prototype.hasOwnProperty.call(ASSETS, name)) return ASSETS[name];
  if (name !== 'webauthn.js') return undefined;
  const bundle = webAuthnBrowserBundle();
  if (bundle === undefined) return undefined;
  return (ASSETS[name] = asset('application/javascript; charset=utf-8', bundle));
}

/**
 * Relative to the page (`?asset=…`): it resolves on the page's own path, wherever the app mounted the
 * handler, and can never point to another site whatever path the request came in on.
 */
export function assetUrl(name: AssetName): string {
  return `?asset=${name}&v=${lookUp(name)?.version ?? 'missing'}`;
}

/** The `asset` query value, when the request asks for one (anything but one string is no asset). */
export function requestedAsset(req: Request): string | undefined {
  const name: unknown = req.query?.asset;
  return typeof name === 'string' ? name : undefined;
}

/** Static and public: no session, no user, no store. A versioned URL is cached for good; another only revalidates. */
export function sendAsset(req: Request, res: Response, name: string): void {
  const found = lookUp(name);
  res.set('X-Content-Type-Options', 'nosniff');
  if (!found) {
    res.status(404).set('Cache-Control', 'no-store').type('text/plain').send('Not found');
    return;
  }
  const current = req.query?.v === found.version;
  res.set('Cache-Control', current ? 'public, max-age=31536000, immutable' : 'no-cache');
  // Express adds the ETag and answers 304 to a matching If-None-Match.
  res.type(found.type).send(found.body);
}
