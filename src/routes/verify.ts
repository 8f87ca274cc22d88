// POST route that checks a code and, once, turns the session into a verified one under a new id.
import type { Request, RequestHandler } from 'express';
import type { SessionData } from 'express-session';
import { MfaError } from '../errors';
import { mfaState, requireUserContext } from '../flow/context';
import { parseCode, verifyCode } from '../flow/verify';
import { parseBody } from './body';
import { mfaRoute } from './handle';
import { wantsJson } from './respond';

export function verifyCodeRoute(): RequestHandler {
  return mfaRoute('verifyCodeRoute', async (config, req, res) => {
    const body = await parseBody(req, res);
    const ctx = await requireUserContext(config, req);
    const code = parseCode(body, config.digits);
    const { challenge } = await verifyCode(ctx, code);
    const verified = { ...mfaState(ctx.session).verified, [challenge.scope]: { userId: ctx.user.id, at: Date.now() } };
    await regenerateKeeping(req, verified);
    const redirectTo = challenge.returnTo ?? config.defaultRedirect;
    res.set('Cache-Control', 'no-store');
    if (wantsJson(req)) res.json({ verified: true, redirectTo });
    else res.redirect(303, redirectTo);
  });
}

/**
 * A new session id after the second factor (the old id opens nothing), keeping the app's own fields
 * such as its login, and of ours only the verifications.
 */
async function regenerateKeeping(req: Request, verified: NonNullable<SessionData['mfa']>['verified']): Promise<void> {
  const keep: Record<string, unknown> = { ...req.session };
  delete keep.cookie;
  delete keep.mfa;
  const unavailable = new MfaError('service_unavailable', { retryAfterSeconds: 5 });
  await new Promise<void>((resolve, reject) => req.session.regenerate((error) => (error ? reject(unavailable) : resolve())));
  Object.assign(req.session, keep, { mfa: { verified } });
  await new Promise<void>((resolve, reject) => req.session.save((error) => (error ? reject(unavailable) : resolve())));
}
