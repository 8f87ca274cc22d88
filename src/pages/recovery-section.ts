// "Lost your phone? Use a recovery code": the form that posts to `recoveryRoute()`, and a warning when few codes are left.
import { html, type SafeHtml } from './html';
import type { PageView } from './page-view';
import { csrfField, describedBy } from './form-parts';

/** At or under this many codes left, the page says so: the user should make a new set soon. */
export const FEW_RECOVERY_CODES = 2;

export function recoverySection(view: PageView): SafeHtml | undefined {
  const recovery = view.recovery;
  if (!recovery) return undefined;
  // With none left there is no form to offer, only the advice.
  if (recovery.left === 0) return html`<p class="mfa-warning" id="mfa-recovery-left">${view.t('page_recovery_none')}</p>`;
  const error = view.error?.near === 'recovery' ? view.error.text : undefined;
  return html`${
    recovery.left <= FEW_RECOVERY_CODES &&
    html`<p class="mfa-warning" id="mfa-recovery-left">${view.t('page_recovery_few', { count: recovery.left })}</p>
`
  }<details class="mfa-card mfa-secondary" id="mfa-recovery"${error && html` open`}>
  <summary>${view.t('page_recovery_summary')}</summary>
  <form method="post" action="${recovery.path}">
    ${csrfField(view)}
    <label for="mfa-recovery-code">${view.t('page_recovery_label')}</label>
    <p id="mfa-recovery-code-hint" class="mfa-hint">${view.t('page_recovery_hint')}</p>
    ${error && html`<p id="mfa-recovery-code-error" class="mfa-error" role="alert">${error}</p>`}
    <input id="mfa-recovery-code" name="recoveryCode" type="text" class="mfa-text" required autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40"${describedBy('mfa-recovery-code-hint', error && 'mfa-recovery-code-error')}${error && html` aria-invalid="true" autofocus`}>
    <button type="submit" class="mfa-secondary">${view.t('page_recovery_button')}</button>
  </form>
</details>`;
}
