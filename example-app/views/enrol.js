// The enrolment page: a phone number and a channel, then the code that proves the number; also used to change it.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');
const { codeField, channelChoice, field, resendWait, minutesLeft, COUNTDOWN_SCRIPT } = require('./form-parts');

/**
 * @param {object} view
 * @param {import('express-bandwidth-mfa').ChallengeState} view.state
 * @param {boolean} view.changing  a number is on record: this replaces it
 * @param {string} view.csrfToken
 * @param {{ field: 'code' | 'phone', text: string }} [view.error]
 * @param {string} [view.status]  "We sent a code by text message to …"
 * @param {string} view.phoneHint
 * @param {boolean} view.voiceAvailable
 * @param {string} [view.returnTo]  where a change leads once the new number is confirmed
 * @param {ReturnType<typeof import('./sandbox-banner').sandboxBanner>} [view.banner]  sandbox mode only
 * @param {boolean} [view.passkeysOn]  recommend adding a passkey after the phone
 */
function enrolPage({ state, changing, csrfToken, error, status, phoneHint, voiceAvailable, returnTo, banner, passkeysOn = false }) {
  const title = changing ? 'Change your phone number' : 'Add a phone number';
  const pending = state.pending?.enrolment ? state.pending : undefined;
  const body = html`
<h1>${title}</h1>
${status ? html`<p class="notice" role="status">${status}</p>` : ''}
<p>${
    changing
      ? html`Codes now go to your number ending in <strong>${state.maskedPhoneNumber?.slice(-4)}</strong>. The new number replaces it once you enter the code we send there; browsers you trusted will ask for a code again.`
      : 'Each time you sign in, we send a code to this phone. First we send one now, to make sure the number is yours.'
  }</p>
${pending ? verifyForm({ pending, digits: state.digits, csrfToken, codeError: error?.field === 'code' ? error.text : undefined, said: Boolean(status) }) : ''}
${sendForm({ state, csrfToken, phoneError: error?.field === 'phone' ? error.text : undefined, phoneHint, voiceAvailable, again: Boolean(pending), returnTo })}
${phoneRiskNotice()}
${
  passkeysOn
    ? html`<aside class="card secondary" aria-labelledby="passkey-tip">
  <h2 id="passkey-tip">Next: add a passkey</h2>
  <p>Once your phone is confirmed, add a passkey in <a href="/account#passkeys">Security settings</a>. It signs you in with this device's screen lock instead of a code, works when your phone has no signal, and cannot be phished. Your phone stays as the way back in.</p>
</aside>`
    : ''
}
${changing ? html`<p><a href="/account">Keep the current number</a></p>` : ''}`;
  // Security settings need a confirmed number first; changing one comes from there.
  return layout({ title, body, csrfToken, signedIn: true, secondFactor: Boolean(changing), banner, scripts: [COUNTDOWN_SCRIPT] });
}

/** Meaningful notice (NIST SP 800-63B-4): what a phone code leaves open, and where the stronger factor is. */
function phoneRiskNotice() {
  return html`<p class="hint" id="phone-risk">Codes sent to your phone do not protect you against a SIM swap, your number being ported away, or someone intercepting the message or call. <a href="/account">A passkey is stronger: add one in your security settings.</a></p>`;
}

/**
 * `said`: the notice above already says where the code went; the hint does not repeat it.
 * @param {object} form
 * @param {NonNullable<import('express-bandwidth-mfa').ChallengeState['pending']>} form.pending
 * @param {number} form.digits
 * @param {string} form.csrfToken
 * @param {string} [form.codeError]
 * @param {boolean} form.said
 */
function verifyForm({ pending, digits, csrfToken, codeError, said }) {
  return html`
<form method="post" action="/2fa/enrol/verify" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${codeField({ digits, error: codeError, hint: `${said ? '' : `Sent to ${pending.maskedPhoneNumber}. `}It works once, for about ${minutesLeft(pending)}.` })}
  <button type="submit">Confirm this number</button>
</form>`;
}

/**
 * @param {object} form
 * @param {import('express-bandwidth-mfa').ChallengeState} form.state
 * @param {string} form.csrfToken
 * @param {string} [form.phoneError]
 * @param {string} form.phoneHint
 * @param {boolean} form.voiceAvailable
 * @param {boolean} form.again  a code was sent already: this form sends another, or to another number
 * @param {string} [form.returnTo]
 */
function sendForm({ state, csrfToken, phoneError, phoneHint, voiceAvailable, again, returnTo }) {
  const wait = state.resendAvailableInSeconds;
  return html`
<form method="post" action="/2fa/enrol/send" class="${again ? 'card secondary' : 'card'}" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${returnTo ? html`<input type="hidden" name="returnTo" value="${returnTo}">` : ''}
  ${again ? html`<h2>Wrong number, or no code?</h2>` : ''}
  ${field({
    name: 'phoneNumber',
    id: 'phone',
    label: again ? 'Phone number (again, or another one)' : 'Phone number',
    type: 'tel',
    error: phoneError,
    hint: phoneHint,
    autofocus: !again || Boolean(phoneError),
    attributes: html` autocomplete="tel" inputmode="tel" maxlength="40"`,
  })}
  ${channelChoice({ voiceAvailable, channel: state.pending?.channel, legend: 'Send the code by', describedBy: undefined })}
  <button type="submit" id="send-button"${again ? html` class="secondary"` : ''}${wait > 0 ? html` aria-describedby="resend-wait"` : ''}>${again ? 'Send a new code' : 'Send code'}</button>
  ${resendWait(wait, 'send-button')}
</form>`;
}

module.exports = { enrolPage };
