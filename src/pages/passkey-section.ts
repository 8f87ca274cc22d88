// "Use a passkey", first on the page when the user has one; hidden until the page's script finds WebAuthn in the browser.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';

export function passkeySection(view: PageView): SafeHtml | undefined {
  if (view.locked) return undefined;
  const required =
    !view.codeAllowed && view.state.methods && html`<p class="mfa-notice" role="status">${view.t('page_passkey_required')}</p>`;
  if (!view.passkey) return required || undefined;
  return html`${required}<section class="mfa-card" id="mfa-passkey" hidden data-mfa-passkey${!view.codeAllowed && html` data-mfa-passkey-only`}
  data-mfa-options="${view.passkey.optionsPath}" data-mfa-verify="${view.passkey.verifyPath}"
  data-mfa-failed="${view.t('page_passkey_failed')}" data-mfa-unavailable="${view.t('page_passkey_unavailable')}"${
    view.csrf &&
    html`
  data-mfa-csrf-field="${view.csrf.field}" data-mfa-csrf-token="${view.csrf.token}"`
  }>
  <p>${view.t('page_passkey_intro')}</p>
  <p id="mfa-passkey-error" class="mfa-error" role="alert" data-mfa-passkey-error hidden></p>
  <button type="button" id="mfa-passkey-button">${view.t('page_passkey_button')}</button>
  ${view.codeAllowed && html`<p class="mfa-hint">${view.t('page_passkey_fallback')}</p>`}
</section>`;
}
