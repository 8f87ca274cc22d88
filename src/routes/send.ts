// POST route that sends a code by SMS or voice to the signed-in user's own number.
import type { RequestHandler } from 'express';
import type { MfaConfig } from '../options';
import { requireUserContext } from '../flow/context';
import { parseSendBody, sendCode } from '../flow/send';
import { parseBody } from './body';
import { guarded } from './boundary';
import type { RouteOptions } from './route-options';
import { wantsJson } from './respond';

export function sendRoute(config: MfaConfig, options: RouteOptions = {}): RequestHandler {
  return guarded(
    'sendCodeRoute',
    config,
    async (config, req, res) => {
      const input = parseSendBody(await parseBody(req, res));
      const ctx = await requireUserContext(config, req);
      const result = await sendCode(ctx, input);
      res.set('Cache-Control', 'no-store');
      if (wantsJson(req)) res.json({ sent: true, ...result });
      else res.redirect(303, `${config.challengePath}?sent=${result.channel}`);
    },
    { postOnly: true, errorPath: options.errorPath, takesTurns: true },
  );
}
