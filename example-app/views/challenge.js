// The second-factor page: choose SMS or voice, send, type the code, or use a recovery code; and the lockout page.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');
const { codeField, channelChoice, field, resendWait, minutesLeft } = require('./form-parts');

const TITLES = { transfer: 'Confirm the transfer' };
// At or under this many recovery codes left, the page says so: the user should make new ones soon.
const FEW_RECOVERY_CODES = 2;

/**
 * @param {object} view
 * @param {import('express-bandwidth-mfa').ChallengeState} view.state  `pending` already cleared of an enrolment code
 * @param {string} view.csrfToken
 * @param {{ field: 'code' | 'send' | 'recovery', text: string }} [view.error]
 * @param {string} [view.status]  e.g. "We sent a code by text message to …"
 * @param {string} [view.reason]  why a code is asked for now (changing the number, new recovery codes)
 * @param {boolean} view.voiceAvailable
 * @param {number} view.trustDays  offer "trust this browser for N days" when > 0 (login challenges only)
 * @param {boolean} view.offerRecovery  a recovery code stands in for the sign-in code only, never for a step-up
 * @param {boolean} view.offerPasskey  the user has a passkey: offered first, codes below as the fallback
 * @param {boolean} view.codeAllowed  false on a page that takes a passkey only (or for a user without a number)
 * @param {object} [view.banner]
 */
function challengePage({ state, csrfToken, error, status, reason, voiceAvailable, trustDays, offerRecovery, offerPasskey, codeAllowed = true, banner }) {
  // The code already sent decides what it is for; otherwise what the protected page asked for.
  const title = TITLES[state.pending?.scope ?? state.scope] ?? 'Confirm it is you';
  const pending = state.pending;
  const ending = html`<strong>${state.maskedPhoneNumber?.slice(-4)}</strong>`;
  const passkeyOnly = !codeAllowed;
  const body = html`
<h1>${title}</h1>
${status ? html`<p class="notice" role="status">${status}</p>` : ''}
${state.action ? html`<p class="notice" id="action">You are approving: <strong>${state.action}</strong>. The code works for this only.</p>` : ''}
${passkeyOnly && state.methods ? html`<p class="warning">This page needs a passkey: a code sent to your phone is not enough here.</p>` : ''}
${offerPasskey ? passkeyCard({ passkeyOnly }) : ''}
${passkeyOnly ? '' : html`${offerPasskey ? html`<h2 class="or">No passkey at hand? Get a code instead</h2>` : ''}
${reason ? html`<p>${reason} We send a code to your phone number ending in ${ending}.</p>` : ''}
${pending
    ? verifyForm({ pending, digits: state.digits, csrfToken, codeError: error?.field === 'code' ? error.text : undefined, trustDays, autofocus: error?.field !== 'recovery' })
    : reason ? '' : html`<p>We will send a ${state.digits}-digit code to your phone number ending in ${ending}.</p>`}
${sendForm({ state, csrfToken, sendError: error?.field === 'send' ? error.text : undefined, voiceAvailable, resend: Boolean(pending) })}`}
${offerRecovery ? recoverySection({ left: state.recoveryCodesLeft, csrfToken, error: error?.field === 'recovery' ? error.text : undefined }) : ''}
${phoneRiskNotice()}
`;
  return layout({ title, body, csrfToken, signedIn: true, banner, scripts: offerPasskey ? ['vendor/simplewebauthn-browser.js', 'passkeys.js'] : [] });
}

/** Shown by /static/passkeys.js once it finds WebAuthn in the browser; without it, the code forms below are the way in. */
function passkeyCard({ passkeyOnly }) {
  return html`
<section class="card" id="passkey-signin" data-passkey-signin data-options="/2fa/passkeys/options" data-verify="/2fa/passkeys/verify"
  data-failed="The passkey was not used. Try again${passkeyOnly ? '' : ', or get a code below'}."${passkeyOnly ? html` data-unsupported="This browser cannot use a passkey. Open this page on a device that has your passkey."` : ''} hidden>
  <p>Confirm it is you with the passkey saved on this device or your phone.</p>
  <p class="error" role="alert" data-passkey-error hidden></p>
  <button type="button" data-passkey-start>Use a passkey</button>
</section>`;
}

function verifyForm({ pending, digits, csrfToken, codeError, trustDays, autofocus }) {
  return html`
<form method="post" action="/2fa/verify" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${codeField({ digits, error: codeError, autofocus, hint: `Sent to ${pending.maskedPhoneNumber}. It works once, for about ${minutesLeft(pending)}.` })}
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
  return html`
<form method="post" action="/2fa/send" class="${resend ? 'card secondary' : 'card'}">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${channelChoice({ voiceAvailable, channel: state.pending?.channel, legend: resend ? 'Did not get it? Send a new code' : 'How should we send the code?', describedBy: sendError ? 'send-error' : undefined })}
  ${sendError ? html`<p id="send-error" class="error" role="alert">${sendError}</p>` : ''}
  <button type="submit" id="send-button"${resend ? html` class="secondary"` : ''}${wait > 0 ? html` aria-describedby="resend-wait"` : ''}>${resend ? 'Send a new code' : 'Send code'}</button>
  ${resendWait(wait, 'send-button')}
</form>`;
}

/** "Use a recovery code": open by itself when its own error is shown; a warning when few codes are left, none at none. */
function recoverySection({ left, csrfToken, error }) {
  if (left === 0) {
    return html`<p class="warning" id="recovery-left">You have no recovery codes. Once signed in, make a set in your security settings: without one, a lost phone means asking support.</p>`;
  }
  const few = left !== undefined && left <= FEW_RECOVERY_CODES;
  return html`
${few ? html`<p class="warning" id="recovery-left">You have only ${left} recovery ${left === 1 ? 'code' : 'codes'} left. Once signed in, make new ones in your security settings.</p>` : ''}
<details class="card secondary"${error ? html` open` : ''}>
  <summary>Lost your phone? Use a recovery code</summary>
  <form method="post" action="/2fa/recovery" novalidate>
    <input type="hidden" name="_csrf" value="${csrfToken}">
    ${field({
      name: 'recoveryCode', id: 'recovery-code', label: 'Recovery code', type: 'text', error, autofocus: Boolean(error),
      hint: 'One of the codes you saved when you added your phone, such as ABCD-EFGH-JKMN-PQRS. Each works once.',
      attributes: html` autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="40"`,
    })}
    <button type="submit" class="secondary">Use recovery code</button>
  </form>
</details>`;
}

/** Meaningful notice (NIST SP 800-63B-4): what a phone code leaves open, and where the stronger factor is. */
function phoneRiskNotice() {
  return html`<p class="hint" id="phone-risk">Codes sent to your phone do not protect you against a SIM swap, your number being ported away, or someone intercepting the message or call. <a href="/account">A passkey is stronger: add one in your security settings.</a></p>`;
}

/** Shown instead of the forms while the user is locked out, with the wait the library computed. */
function lockoutPage({ state, csrfToken, banner, checkAgain = '/2fa' }) {
  const held = state.accountLocked;
  const body = html`
<h1>${held ? 'Account locked' : 'Too many attempts'}</h1>
<p class="error" role="alert">${state.lockoutMessage ?? 'Too many attempts. Try again later.'}</p>
<p>${held
    ? 'Codes and recovery codes cannot be used for this account until support unlocks it.'
    : 'For your security, codes cannot be sent or checked for this account until then. Signing out does not shorten the wait.'}</p>
${held ? '' : html`<p><a href="${checkAgain}">Check again</a></p>`}`;
  return layout({ title: held ? 'Account locked' : 'Too many attempts', body, csrfToken, signedIn: true, banner });
}

module.exports = { challengePage, lockoutPage, phoneRiskNotice, FEW_RECOVERY_CODES };
