// "Not you? Sign out": the way out of the challenge for someone who is not the account's owner, or who gives up.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';
import { csrfField } from './form-parts';

export function signOutSection(view: PageView): SafeHtml | undefined {
  const signOut = view.signOut;
  if (!signOut) return undefined;
  // A sign-out by GET could be set off by any image on another site; the app chose it, so it is offered as a link.
  if (signOut.method === 'GET')
    return html`<p class="mfa-sign-out" id="mfa-sign-out">${view.t('page_not_you')} <a href="${signOut.path}">${view.t('page_sign_out')}</a></p>`;
  return html`<form method="post" action="${signOut.path}" class="mfa-sign-out" id="mfa-sign-out">
  ${csrfField(view)}
  <span>${view.t('page_not_you')}</span> <button type="submit" class="mfa-link">${view.t('page_sign_out')}</button>
</form>`;
}
