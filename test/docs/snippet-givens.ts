// What the snippets of the README and docs/ may take as given, said once in the README ("Snippets below assume..."):
// written into the snippet project as a global declaration file, so each snippet still compiles on its own.
export const SNIPPET_GIVENS = `
import type { Express, Request, RequestHandler } from 'express';
import type { Redis } from 'ioredis';
import type { Mfa, MfaOptions } from 'express-bandwidth-mfa';

declare global {
  /** A required environment variable (throws when unset). */
  function env(name: string): string;
  /** express-session's options of the quick-start (secret, resave, saveUninitialized...). */
  const sessionOptions: import('express-session').SessionOptions;
  /** The options of the quick-start. */
  const options: MfaOptions & { bandwidth: import('express-bandwidth-mfa').BandwidthOptions };
  /** An Express app, with express-session mounted (see the quick-start). */
  const app: Express;
  /** The instance of the quick-start. */
  const mfa: Mfa;
  /** An ioredis client. */
  const redis: Redis;
  /** Your own handlers and records. */
  const adminHandler: RequestHandler;
  const transferHandler: RequestHandler;
  const user: { id: string };
  const userId: string;
  const deviceId: string;
  const users: {
    findById(id: string): Promise<{ id: string; phone: string | null } | undefined>;
    setPhone(userId: string, phone: string | null): Promise<void>;
    replaceRecoveryCodes(userId: string, hashes: string[]): Promise<void>;
    consumeRecoveryCode(userId: string, hash: string): Promise<boolean>;
    countRecoveryCodes(userId: string): Promise<number>;
    passkeys(userId: string): Promise<import('express-bandwidth-mfa').StoredPasskey[]>;
    addPasskey(userId: string, passkey: import('express-bandwidth-mfa').StoredPasskey): Promise<void>;
    touchPasskey(userId: string, credentialId: string, counter: number, lastUsedAt: Date): Promise<void>;
    removePasskey(userId: string, credentialId: string): Promise<boolean>;
  };
  const req: Request;
  /** The app's own page pieces, for the challenge-page examples. */
  function escapeHtml(text: string): string;
  const siteHeader: string;
}

declare module 'express-session' {
  interface SessionData {
    userId?: string;
    /** When the app's login route checked the password, ms. */
    signedInAt?: number;
  }
}

export {};
`;
