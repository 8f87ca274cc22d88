// POST routes of the passkey ceremonies (JSON in, JSON out, for the page's script) and of removing a passkey.
import { randomBytes } from 'node:crypto';
import express, { type Request, type RequestHandler, type Response } from 'express';
import type { MfaConfig } from '../options';
import { requireUserContext } from '../flow/context';
import { safeReturnTo } from '../flow/return-to';
import { fieldsOf } from '../flow/send';
import { authenticationOptions, verifyAuthentication } from '../passkeys/authentication';
import { parseCredentialId } from '../passkeys/body';
import { registrationOptions, verifyRegistration } from '../passkeys/registration';
import { removePasskey } from '../passkeys/removal';
import { invalidBody } from './body';
import { guarded } from './boundary';
import type { RouteOptions } from './route-options';
import { wantsJson } from './respond';
import { regenerateKeeping } from './regenerate';

// A WebAuthn response is larger than a code: an RSA key's attestation, a long credential id.
const parseJson = express.json({ limit: '16kb' });
const parseForm = express.urlencoded({ extended: false, limit: '2kb' });

async function passkeyBody(req: Request, res: Response): Promise<unknown> {
  for (const parser of [parseJson, parseForm]) {
    await new Promise<void>((resolve, reject) => parser(req, res, (error?: unknown) => (error ? reject(invalidBody(error)) : resolve())));
  }
  return req.body;
}

function answer(res: Response, body: unknown): void {
  res.set('Cache-Control', 'no-store').json(body);
}

export function passkeyRegistrationOptionsRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'passkeyRegistrationOptionsRoute',
    config,
    async (config, req, res) => {
      const body = await passkeyBody(req, res);
      const ctx = await requireUserContext(config, req);
      answer(res, await registrationOptions(ctx, safeReturnTo(fieldsOf(body).returnTo)));
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}

export function passkeyRegistrationVerifyRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'passkeyRegistrationVerifyRoute',
    config,
    async (config, req, res) => {
      const body = await passkeyBody(req, res);
      const ctx = await requireUserContext(config, req);
      const passkey = await verifyRegistration(ctx, body);
      answer(res, { added: true, passkey: { credentialId: passkey.credentialId, name: passkey.name, createdAt: passkey.createdAt } });
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}

export function passkeyAuthenticationOptionsRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'passkeyAuthenticationOptionsRoute',
    config,
    async (config, req, res) => {
      const body = await passkeyBody(req, res);
      const ctx = await requireUserContext(config, req);
      answer(res, await authenticationOptions(ctx, body));
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}

export function passkeyAuthenticationVerifyRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'passkeyAuthenticationVerifyRoute',
    config,
    async (config, req, res) => {
      const body = await passkeyBody(req, res);
      const ctx = await requireUserContext(config, req);
      const signIn = await verifyAuthentication(ctx, body);
      const verified = {
        ...ctx.session.mfa?.verified,
        [signIn.scope]: { userId: ctx.user.id, at: Date.now(), id: randomBytes(16).toString('hex'), method: 'passkey' as const },
      };
      await regenerateKeeping(req, verified);
      answer(res, { verified: true, redirectTo: signIn.returnTo ?? config.defaultRedirect });
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}

export function removePasskeyRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'removePasskeyRoute',
    config,
    async (config, req, res) => {
      const body = await passkeyBody(req, res);
      const ctx = await requireUserContext(config, req);
      const credentialId = parseCredentialId(body);
      const returnTo = safeReturnTo(fieldsOf(body).returnTo);
      // A browser sent for a fresh code comes back to the page the form is on.
      await removePasskey(ctx, credentialId, options.errorPath);
      if (wantsJson(req)) return answer(res, { removed: true });
      res.set('Cache-Control', 'no-store').redirect(303, returnTo ?? config.defaultRedirect);
    },
    { postOnly: true, errorPath: options.errorPath },
  );
}
