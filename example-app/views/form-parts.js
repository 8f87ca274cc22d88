// Form pieces the pages share: a labelled field with its hint and error, the channel choice, the code field, the resend wait.
'use strict';

const { html } = require('./html');

/**
 * A labelled input with its hint, and its error tied to it by aria-describedby and aria-invalid.
 * @param {{ name: string, label: string, type: string, value?: string, error?: string, hint?: unknown, autofocus?: boolean, attributes?: unknown, id?: string, optional?: boolean }} field
 */
function field({ name, id = name, label, type, value, error, hint, autofocus, attributes, optional = false }) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return html`<label for="${id}">${label}</label>
  ${hint ? html`<p id="${id}-hint" class="hint">${hint}</p>` : ''}
  ${error ? html`<p id="${id}-error" class="error" role="alert">${error}</p>` : ''}
  <input id="${id}" name="${name}" type="${type}"${optional ? '' : html` required`}${attributes ?? ''}${value !== undefined ? html` value="${value}"` : ''}${
    describedBy
      ? html`
    aria-describedby="${describedBy}"`
      : ''
  }${error ? html` aria-invalid="true"` : ''}${autofocus ? html` autofocus` : ''}>`;
}

/**
 * The optional address security notices go to (an e-mail, never the phone whose changes they report).
 * @param {{ value?: string, error?: string, autofocus?: boolean }} field
 */
function emailField({ value, error, autofocus = false }) {
  return field({
    name: 'email',
    label: 'E-mail address (optional)',
    type: 'email',
    value,
    error,
    autofocus,
    hint: 'We write to it when your phone number, recovery codes or trusted browsers change, so you hear of it even if someone else has your phone.',
    attributes: html` autocomplete="email" maxlength="254" spellcheck="false"`,
    optional: true,
  });
}

/** The code field: one-time-code autofill, digits only, its length from the library's state. */
/** @param {{ digits: number, hint?: string, error?: string, autofocus?: boolean }} field */
function codeField({ digits, hint, error, autofocus = true }) {
  return field({
    name: 'code',
    label: 'Code',
    type: 'text',
    hint,
    error,
    autofocus,
    attributes: html` class="code" autocomplete="one-time-code" inputmode="numeric" pattern="[0-9]{${digits}}" minlength="${digits}" maxlength="${digits}" spellcheck="false"`,
  });
}

/**
 * SMS, and voice when the provider can call. `idPrefix` keeps ids unique when a page has two choices.
 * @param {{ voiceAvailable: boolean, channel?: string, legend: string, describedBy?: string, idPrefix?: string }} choice
 */
function channelChoice({ voiceAvailable, channel = 'sms', legend, describedBy, idPrefix = 'channel' }) {
  return html`<fieldset${describedBy ? html` aria-describedby="${describedBy}"` : ''}>
    <legend>${legend}</legend>
    <div class="choice">
      <input id="${idPrefix}-sms" name="channel" type="radio" value="sms"${channel === 'sms' ? html` checked` : ''}>
      <label for="${idPrefix}-sms">Text message (SMS)</label>
    </div>
    ${
      voiceAvailable
        ? html`<div class="choice">
      <input id="${idPrefix}-voice" name="channel" type="radio" value="voice"${channel === 'voice' ? html` checked` : ''}>
      <label for="${idPrefix}-voice">Voice call</label>
    </div>`
        : ''
    }
  </fieldset>`;
}

/** The library's challenge page serves its countdown script; the enrolment page uses the same one rather than a copy. */
const COUNTDOWN_SCRIPT = '/2fa?asset=challenge.js';
const UNITS = JSON.stringify({
  seconds: { one: '{count} second', other: '{count} seconds' },
  minutes: { one: '{count} minute', other: '{count} minutes' },
  hours: { one: '{count} hour', other: '{count} hours' },
});

/**
 * "You can ask for a new code in 25 seconds.": the countdown script keeps the button disabled until then.
 * @param {number} wait  seconds
 * @param {string} buttonId  the send button the script keeps disabled
 */
function resendWait(wait, buttonId) {
  if (!(wait > 0)) return '';
  return html`<p id="resend-wait" class="hint" data-mfa-countdown="${wait}" data-mfa-button="${buttonId}" data-mfa-template="You can ask for a new code in {wait}."
  data-mfa-done="You can ask for a new code now." data-mfa-units="${UNITS}">You can ask for a new code in ${wait} ${wait === 1 ? 'second' : 'seconds'}.</p>`;
}

/**
 * "It works once, for about 4 minutes." from the pending code's expiry.
 * @param {{ expiresAt: number }} pending  ms
 */
function minutesLeft(pending) {
  const minutes = Math.max(1, Math.ceil((pending.expiresAt - Date.now()) / 60_000));
  return `${minutes} ${minutes === 1 ? 'minute' : 'minutes'}`;
}

module.exports = { field, emailField, codeField, channelChoice, resendWait, minutesLeft, COUNTDOWN_SCRIPT };
