// The code form, while a code is pending: one-time-code autofill, the configured length, hint and error tied to the field.
// Where the code went is said once: by the notice after a send, else by the hint.
import { html, type SafeHtml } from './html';
import { days, type PageView } from './page-view';
import { csrfField, describedBy } from './form-parts';

export function verifySection(view: PageView): SafeHtml | undefined {
  const pending = view.state.pending;
  if (view.locked || !pending || !view.codeAllowed) return undefined;
  const { digits } = view.state;
  const error = view.error?.near === 'code' ? view.error.text : undefined;
  const life = view.duration(Math.max(1, (pending.expiresAt - Date.now()) / 1000));
  return html`<form method="post" action="${view.verifyPath}" class="mfa-card" id="mfa-verify">
  ${csrfField(view)}
  <label for="mfa-code">${view.t('page_code_label')}</label>
  <p id="mfa-code-hint" class="mfa-hint">${view.t(view.sent === undefined ? 'page_code_hint' : 'page_code_hint_short', { digits, phone: pending.maskedPhoneNumber, wait: life })}</p>
  ${error && html`<p id="mfa-code-error" class="mfa-error" role="alert">${error}</p>`}
  <input id="mfa-code" name="code" type="text" class="mfa-code" autocomplete="one-time-code" inputmode="numeric"
    pattern="[0-9]{${digits}}" minlength="${digits}" maxlength="${digits}" required autofocus spellcheck="false" autocapitalize="off"
    title="${view.t('invalid_code_format', { digits })}"${describedBy('mfa-code-hint', error && 'mfa-code-error')}${error && html` aria-invalid="true"`}>
  ${view.trustDays > 0 && trustCheckbox(view)}
  <button type="submit">${view.t('page_verify_button')}</button>
</form>`;
}

/** The login challenge only: a step-up code confirms one action, never a browser. */
function trustCheckbox(view: PageView): SafeHtml {
  return html`<div class="mfa-check">
    <input id="mfa-remember" name="rememberDevice" type="checkbox" value="on" aria-describedby="mfa-remember-hint">
    <label for="mfa-remember">${view.t('page_trust_browser', { days: days(view, view.trustDays) })}</label>
  </div>
  <p id="mfa-remember-hint" class="mfa-hint">${view.t('page_trust_browser_hint')}</p>`;
}
