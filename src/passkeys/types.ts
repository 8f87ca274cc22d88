// Public shapes of passkeys: the option, and the record the app stores for each credential.
import type { Request } from 'express';

/** One passkey of a user, as the app stores it (a table row: all strings, numbers and dates). */
export interface StoredPasskey {
  /** The credential id, base64url; unique across all users. */
  credentialId: string;
  /** The COSE public key, base64url. Not a secret, but only the library should write it. */
  publicKey: string;
  /** The signature counter last seen; 0 for authenticators that do not count (most synced passkeys). */
  counter: number;
  /** What the browser said the authenticator speaks (`internal`, `hybrid`, `usb`...): a hint for the next sign-in. */
  transports: string[];
  /** What the user called it ("Work laptop"), 1–64 characters. */
  name: string;
  createdAt: Date;
  /** Null until it is first used to sign in. */
  lastUsedAt: Date | null;
}

export interface PasskeysOptions {
  /** The relying party id: your site's registrable domain or a host under it, e.g. `example.com`. Required. */
  rpId: string;
  /** Shown by the browser and the authenticator when a passkey is made ("Example Co."). Required. */
  rpName: string;
  /** Every origin the pages run on, e.g. `['https://example.com']`; `http:` only for `localhost`. Required. */
  origins: string[];
  /** The user's passkeys (none: `[]`). A throw is a 503. Required. */
  listPasskeys: (userId: string) => StoredPasskey[] | Promise<StoredPasskey[]>;
  /** Stores a new passkey after its registration verified; a throw is a 503 and nothing is bound. Required. */
  savePasskey: (userId: string, passkey: StoredPasskey, req: Request | undefined) => void | Promise<void>;
  /** After a sign-in with it: the new signature counter and the time of use. Required. */
  updatePasskeyCounter: (userId: string, credentialId: string, counter: number, lastUsedAt: Date) => void | Promise<void>;
  /** Deletes one passkey of the user; true when it was there. Required. */
  removePasskey: (userId: string, credentialId: string) => boolean | Promise<boolean>;
  /**
   * `required` (default): the authenticator must verify the person (PIN, fingerprint), so a passkey alone is
   * a multi-factor authenticator. `preferred` accepts presence only and is weaker.
   */
  userVerification?: 'required' | 'preferred';
  /** How long a ceremony's challenge lives, seconds. Default 120; 30–600. */
  challengeTtlSeconds?: number;
  /** Passkeys one user may have. Default 10; 1–50. */
  maxPasskeys?: number;
  /**
   * May a user remove their last second factor (the last passkey of a user without a number, or the number
   * of a user without a passkey)? Default false: they add another first.
   */
  allowRemovingLastFactor?: boolean;
}

/** The `passkeys` option as the routes read it: every default filled in, the origins a list. */
export type PasskeysConfig = Required<Omit<PasskeysOptions, 'origins'>> & { origins: string[] };
