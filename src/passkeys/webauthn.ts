// Loads `@simplewebauthn/server` (an optional peer dependency) once, and only for an app that configured passkeys.
import type * as SimpleWebAuthnServer from '@simplewebauthn/server';
import { fail } from '../config/checks';

export type WebAuthnServer = Pick<
  typeof SimpleWebAuthnServer,
  'generateRegistrationOptions' | 'verifyRegistrationResponse' | 'generateAuthenticationOptions' | 'verifyAuthenticationResponse'
>;

let loaded: WebAuthnServer | undefined;

/** The package, loaded on first call; a clear start-up error when it is not installed. */
export function loadWebAuthn(): WebAuthnServer {
  if (loaded) return loaded;
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: apps without passkeys never load it.
    loaded = require('@simplewebauthn/server') as WebAuthnServer;
  } catch (error) {
    if ((error as { code?: unknown }).code !== 'MODULE_NOT_FOUND') throw error;
    fail(
      'the `passkeys` option needs the `@simplewebauthn/server` package (13 or 14): run `npm install @simplewebauthn/server`, or leave `passkeys` out.',
    );
  }
  return loaded;
}
