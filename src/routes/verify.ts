// POST route that checks a code and, once, turns the session into a verified one under a new id.
import { randomBytes } from 'node:crypto';
import type { RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { actionDigest } from '../flow/action';
import { MfaError } from '../errors';
import { requireUserContext } from '../flow/context';
import { fieldsOf } from '../flow/send';
import { parseCode, verifyCode } from '../flow/verify';
import { rememberDevice } from '../trusted-devices/trust';
import { parseBody } from './body';
import { guarded } from './boundary';
import type { RouteOptions } from './route-options';
import { wantsJson } from './respond';
import { regenerateKeeping } from './regenerate';
import { LOG_PREFIX } from '../log-prefix';

export function verifyRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'verifyCodeRoute',
    config,
    async (config, req, res) => {
      const body = await parseBody(req, res);
      const ctx = await requireUserContext(config, req);
      const code = parseCode(body, config.digits);
      const remember = parseRememberDevice(body);
      const { challenge } = await verifyCode(ctx, code);
      const verification = {
        userId: ctx.user.id,
        at: Date.now(),
        id: randomBytes(16).toString('hex'),
        method: challenge.channel,
        ...(challenge.action !== undefined ? { action: actionDigest(challenge.action) } : {}),
      };
      const verified = { ...ctx.session.mfa?.verified, [challenge.scope]: verification };
      await regenerateKeeping(req, verified);
      // Only the login challenge makes a browser trusted; a step-up code is about one action.
      if (remember && challenge.scope === config.scope) {
        // The code was right and the session is verified: a store hiccup here costs only the convenience.
        await rememberDevice(ctx, res).catch(() =>
          config.logger.warn(LOG_PREFIX + 'this browser could not be remembered; the user will get a code next time.'),
        );
      }
      const redirectTo = challenge.returnTo ?? config.defaultRedirect;
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) res.json({ verified: true, redirectTo });
      else res.redirect(303, redirectTo);
    },
    { postOnly: true, errorPath: options.errorPath, takesTurns: true },
  );
}

/** The "trust this browser" checkbox: absent or a clear yes/no; anything else is a 400 before any provider call. */
function parseRememberDevice(body: unknown): boolean {
  const value = fieldsOf(body).rememberDevice;
  if (value === undefined || value === false || value === 'false' || value === '0' || value === '') return false;
  if (value === true || value === 'true' || value === 'on' || value === '1') return true;
  throw new MfaError('invalid_request');
}
