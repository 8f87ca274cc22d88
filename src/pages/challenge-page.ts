// `challengePage()`: the GET handler of the built-in challenge page, and of its script and styles.
import type { Request, RequestHandler, Response } from 'express';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';
import { challengeState } from '../routes/challenge-state';
import { guarded } from '../routes/boundary';
import { refuseRequestAsOptions } from '../routes/config-source';
import { localMessage } from '../routes/respond';
import { requestedAsset, sendAsset } from './assets';
import { html, trustedHtml } from './html';
import { resolvePageOptions, type ChallengePageOptions, type ChallengePagePieces } from './page-options';
import { buildView, hookMistake } from './page-view';
import { buildSections } from './sections';
import { defaultLayout, headPieces } from './document';

export type { ChallengePageOptions };

/**
 * Reads and renders; it changes nothing (no session write, no store write), so GET and HEAD only.
 * The options are checked here, once, when the app mounts the handler; the page is then built for a configuration.
 */
export function challengePageFor(options?: unknown): (config: MfaConfig) => RequestHandler {
  refuseRequestAsOptions('challengePage', options);
  const settings = resolvePageOptions(options);
  const head = headPieces(settings).text;
  // Built on the first page that offers passkeys: it reads the browser bundle from disk.
  let passkeyHead: string | undefined;

  return (bound) =>
    guarded('challengePage', bound, async (config, req, res) => {
      if (req.method !== 'GET' && req.method !== 'HEAD') return refuseMethod(config, req, res);
      const asset = requestedAsset(req);
      if (asset !== undefined) return sendAsset(req, res, asset);

      const current = await challengeState(config, req);
      // A code sent to a number being enrolled belongs to the enrolment page, not to this form.
      const state = current.pending?.enrolment ? { ...current, pending: undefined } : current;
      if (!state.signedIn) throw new MfaError('authentication_required');
      const csrfToken = await csrfTokenFor(config, settings.csrfToken, req);
      const view = buildView(config, req, state, settings, csrfToken);
      const sections = buildSections(view);
      const pieces: ChallengePagePieces = {
        lang: view.lang,
        title: view.title,
        head: view.passkey ? (passkeyHead ??= headPieces(settings, true).text) : head,
        body: html`<div class="mfa-challenge">
${sections.map((section) => trustedHtml(`${section.html}\n`))}</div>`.text,
        sections,
        csrfToken,
      };
      const page = settings.render
        ? await settings.render(state, pieces, req)
        : settings.layout
          ? await settings.layout(pieces, req)
          : defaultLayout(pieces);
      if (typeof page !== 'string')
        throw hookMistake(config, `\`challengePage.${settings.render ? 'render' : 'layout'}\` must return the page's HTML as a string`);

      res.set('Cache-Control', 'no-store');
      // A page where a code is typed has no business inside another site's frame.
      if (!res.get('X-Frame-Options')) res.set('X-Frame-Options', 'DENY');
      // Locked out: the page is the answer to "too many requests", and says when to come back.
      if (view.locked) res.status(429).set('Retry-After', String(state.lockedOutForSeconds)).type('html').send(page);
      else res.status(200).type('html').send(page);
    });
}

async function csrfTokenFor(config: MfaConfig, hook: ((req: Request) => unknown) | undefined, req: Request): Promise<string | undefined> {
  if (!hook) return undefined;
  const token: unknown = await hook(req);
  if (token === undefined || token === '') return undefined;
  if (typeof token !== 'string')
    throw hookMistake(config, '`challengePage.csrfToken(req)` must return the token as a string (or undefined)');
  return token;
}

/** Mounted with `app.use` or `app.all`, a POST must not be taken for a page view. */
function refuseMethod(config: MfaConfig, req: Request, res: Response): void {
  res.set('Allow', 'GET, HEAD').set('Cache-Control', 'no-store');
  res
    .status(405)
    .type('text/plain')
    .send(localMessage(req, config, new MfaError('invalid_request')));
}
