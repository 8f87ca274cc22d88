// The second-factor page: choose SMS or voice, send, type the code; and the lockout page.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');
/** The code length the app uses (the library's default `digits`). */
const CODE_DIGITS = 6;

const TITLES = { transfer: 'Confirm the transfer' };

/**
 * @param {object} view
 * @param {import('express-bandwidth-mfa').ChallengeState} view.state
 * @param {string} view.csrfToken
 * @param {{ field: 'code' | 'send', text: string }} [view.error]
 * @param {string} [view.status]  e.g. "We sent a code by text message to …"
 * @param {boolean} view.voiceAvailable
 * @param {number} view.trustDays  offer "trust this browser for N days" when > 0 (login challenges only)
 * @param {object} [view.banner]
 */
function challengePage({ state, csrfToken, error, status, voiceAvailable, trustDays, banner }) {
  // The code already sent decides what it is for; otherwise what the protected page asked for.
  const title = TITLES[state.pending?.scope ?? state.scope] ?? 'Confirm it is you';
  const pending = state.pending;
  const codeError = error?.field === 'code' ? error.text : undefined;
  const sendError = error?.field === 'send' ? error.text : undefined;
  const body = html`
<h1>${title}</h1>
${status ? html`<p class="notice" role="status">${status}</p>` : ''}
${pending ? verifyForm({ pending, csrfToken, codeError, trustDays }) : html`
<p>We will send a ${CODE_DIGITS}-digit code to your phone number ending in <strong>${state.maskedPhoneNumber?.slice(-4)}</strong>.</p>`}
${sendForm({ state, csrfToken, sendError, voiceAvailable, resend: Boolean(pending) })}
`;
  return layout({ title, body, csrfToken, signedIn: true, banner });
}

function verifyForm({ pending, csrfToken, codeError, trustDays }) {
  const describedBy = codeError ? 'code-hint code-error' : 'code-hint';
  const minutesLeft = Math.max(1, Math.ceil((pending.expiresAt - Date.now()) / 60_000));
  return html`
<form method="post" action="/2fa/verify" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <label for="code">Code</label>
  <p id="code-hint" class="hint">Sent to ${pending.maskedPhoneNumber}. It works once, for about ${minutesLeft} ${minutesLeft === 1 ? 'minute' : 'minutes'}.</p>
  ${codeError ? html`<p id="code-error" class="error" role="alert">${codeError}</p>` : ''}
  <input id="code" name="code" type="text" class="code" autocomplete="one-time-code" inputmode="numeric"
    pattern="[0-9]*" maxlength="${CODE_DIGITS}" required autofocus spellcheck="false"
    aria-describedby="${describedBy}"${codeError ? html` aria-invalid="true"` : ''}>
  ${trustDays > 0 ? html`<div class="check">
    <input id="rememberDevice" name="rememberDevice" type="checkbox" value="on" aria-describedby="remember-hint">
    <label for="rememberDevice">Trust this browser for ${trustDays} ${trustDays === 1 ? 'day' : 'days'}</label>
  </div>
  <p id="remember-hint" class="hint">Only on a device you alone use. Transfers still ask for a code.</p>` : ''}
  <button type="submit">Verify</button>
</form>`;
}

function sendForm({ state, csrfToken, sendError, voiceAvailable, resend }) {
  const wait = state.resendAvailableInSeconds;
  const channel = state.pending?.channel ?? 'sms';
  return html`
<form method="post" action="/2fa/send" class="${resend ? 'card secondary' : 'card'}">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <fieldset${sendError ? html` aria-describedby="send-error"` : ''}>
    <legend>${resend ? 'Did not get it? Send a new code' : 'How should we send the code?'}</legend>
    <div class="choice">
      <input id="channel-sms" name="channel" type="radio" value="sms"${channel === 'sms' ? html` checked` : ''}>
      <label for="channel-sms">Text message (SMS)</label>
    </div>
    ${voiceAvailable ? html`<div class="choice">
      <input id="channel-voice" name="channel" type="radio" value="voice"${channel === 'voice' ? html` checked` : ''}>
      <label for="channel-voice">Voice call</label>
    </div>` : ''}
  </fieldset>
  ${sendError ? html`<p id="send-error" class="error" role="alert">${sendError}</p>` : ''}
  <button type="submit" id="send-button"${resend ? html` class="secondary"` : ''}${wait > 0 ? html` aria-describedby="resend-wait"` : ''}>${resend ? 'Send a new code' : 'Send code'}</button>
  ${wait > 0 ? html`<p id="resend-wait" class="hint" data-countdown="${wait}" data-countdown-button="send-button">You can ask for a new code in ${wait} seconds.</p>` : ''}
</form>`;
}

/** Shown instead of the forms while the user is locked out, with the wait the library computed. */
function lockoutPage({ state, csrfToken, banner }) {
  const body = html`
<h1>Too many attempts</h1>
<p class="error" role="alert">${state.lockoutMessage ?? 'Too many attempts. Try again later.'}</p>
<p>For your security, codes cannot be sent or checked for this account until then. Signing out does not shorten the wait.</p>
<p><a href="/2fa">Check again</a></p>`;
  return layout({ title: 'Too many attempts', body, csrfToken, signedIn: true, banner });
}

module.exports = { challengePage, lockoutPage };
