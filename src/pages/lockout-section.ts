// Shown instead of the forms while the user is locked out: the wait, or for a held account, that support must unlock it.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';

export function lockoutSection(view: PageView): SafeHtml | undefined {
  if (!view.locked) return undefined;
  const { state } = view;
  const sentence =
    state.lockoutMessage ??
    (state.accountLocked ? view.t('account_locked') : view.t('locked_out', { wait: view.duration(state.lockedOutForSeconds) }));
  return html`<section class="mfa-card" id="mfa-lockout">
  <p class="mfa-error" role="alert">${sentence}</p>
  ${
    !state.accountLocked &&
    html`<p>${view.t('page_locked_hint')}</p>
  <p><a href="${view.checkAgainPath}">${view.t('page_check_again')}</a></p>`
  }
</section>`;
}
