// Finds the `@simplewebauthn/browser` UMD bundle the app installed, once: the page serves it itself, never from a CDN.
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { LOG_PREFIX } from '../log-prefix';

let bundle: string | null | undefined;

/** The bundle's text, or undefined (logged once) when the package is not installed: the page then offers codes only. */
export function webAuthnBrowserBundle(): string | undefined {
  if (bundle !== undefined) return bundle ?? undefined;
  try {
    // The package exports only its modules; the bundle sits beside them, at a path stable across 10–14.
    const main = require.resolve('@simplewebauthn/browser');
    bundle = readFileSync(join(dirname(main), '..', 'dist', 'bundle', 'index.umd.min.js'), 'utf8');
  } catch {
    console.error(
      LOG_PREFIX +
        'the challenge page offers passkeys with the `@simplewebauthn/browser` package; run `npm install @simplewebauthn/browser`. Until then it offers codes only.',
    );
    bundle = null;
  }
  return bundle ?? undefined;
}
