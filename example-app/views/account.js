// The security page: the number codes go to, passkeys, the recovery codes left, and the browsers trusted to skip the code.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');
const { describeUserAgent } = require('../lib/user-agent');
// The challenge page (the library's) warns at the same count.
const FEW_RECOVERY_CODES = 2;
const { emailField } = require('./form-parts');
const { describeEvent } = require('../lib/notices');

/**
 * @param {object} view
 * @param {string} [view.maskedPhoneNumber]  undefined when the user has no number (passkeys only)
 * @param {number} [view.recoveryCodesLeft]  undefined when the count failed
 * @param {import('express-bandwidth-mfa').TrustedDevice[]} view.devices
 * @param {string | null} view.email  where security notices go
 * @param {import('../lib/db/security-events').SecurityEntry[]} view.activity  newest first
 * @param {import('express-bandwidth-mfa').StoredPasskey[]} [view.passkeys]  undefined when passkeys are off
 * @param {string} [view.passkeyError]  the library's sentence for `?error=` (removing a passkey)
 * @param {string} [view.status]
 * @param {number} view.sensitiveMinutes  how recent a code must be to change the number or make new codes
 * @param {string} view.csrfToken
 * @param {import('./html').Html} [view.banner]
 */
function accountPage({
  maskedPhoneNumber,
  recoveryCodesLeft,
  devices,
  email,
  activity,
  passkeys,
  passkeyError,
  status,
  sensitiveMinutes,
  csrfToken,
  banner,
}) {
  const left = recoveryCodesLeft;
  const recent = `We ask for a code first unless you entered one in the last ${sensitiveMinutes} ${sensitiveMinutes === 1 ? 'minute' : 'minutes'}.`;
  const body = html`
<h1>Security settings</h1>
${status ? html`<p class="notice" role="status">${status}</p>` : ''}
<section class="card" aria-labelledby="phone-heading">
  <h2 id="phone-heading">Phone number</h2>
  <p>Sign-in codes go to <strong>${maskedPhoneNumber}</strong>.</p>
  <p id="change-hint" class="hint">${recent}</p>
  <a class="button secondary" href="/2fa/enrol" aria-describedby="change-hint">Change phone number</a>
</section>
${passkeys ? passkeySection({ passkeys, error: passkeyError, recent, csrfToken }) : ''}
<section class="card" aria-labelledby="codes-heading">
  <h2 id="codes-heading">Recovery codes</h2>
  ${left === undefined ? html`<p>The number of codes left cannot be read right now.</p>` : html`<p>You have <strong>${left}</strong> recovery ${left === 1 ? 'code' : 'codes'} left. Each works once if you lose your phone.</p>`}
  ${left !== undefined && left <= FEW_RECOVERY_CODES ? html`<p class="warning">Make new codes before you run out.</p>` : ''}
  <form method="post" action="/account/recovery-codes">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <p id="new-codes-hint" class="hint">A new set of 10 replaces every code you have now. ${recent}</p>
    <button type="submit" class="secondary" aria-describedby="new-codes-hint">Make new codes</button>
  </form>
</section>
<section class="card" aria-labelledby="browsers-heading">
  <h2 id="browsers-heading">Trusted browsers</h2>
  ${
    devices.length === 0
      ? html`<p>No browser skips the sign-in code.</p>`
      : html`<p>These browsers skip the sign-in code (never a transfer's).</p>
  <ul class="devices">
  ${devices.map((device, i) => deviceItem(device, i, csrfToken))}
  </ul>
  <form method="post" action="/account/trusted-browsers/revoke-all">
    <input type="hidden" name="_csrf" value="${csrfToken}">
    <button type="submit" class="secondary">Stop trusting all browsers</button>
  </form>`
  }
</section>
${emailSection({ email, csrfToken, recent })}
${activitySection(activity)}
<p><a href="/admin">Back to admin</a></p>`;
  return layout({
    title: 'Security settings',
    body,
    csrfToken,
    signedIn: true,
    banner,
    scripts: passkeys ? ['vendor/simplewebauthn-browser.js', 'passkeys.js'] : [],
  });
}

/**
 * The passkeys with their last use, "Remove" for each, and the form that adds one (shown by /static/passkeys.js).
 * @param {{ passkeys: import('express-bandwidth-mfa').StoredPasskey[], error?: string, recent: string, csrfToken: string }} section
 */
function passkeySection({ passkeys, error, recent, csrfToken }) {
  return html`<section class="card" aria-labelledby="passkeys-heading" id="passkeys">
  <h2 id="passkeys-heading">Passkeys</h2>
  <p>A passkey signs you in with this device's screen lock, or your phone, instead of a code. No site but this one can use it, so it cannot be phished.</p>
  ${error ? html`<p class="error" role="alert">${error}</p>` : ''}
  ${
    passkeys.length === 0
      ? html`<p>No passkey yet.</p>`
      : html`<ul class="devices">
  ${passkeys.map((passkey, i) => passkeyItem(passkey, i, csrfToken))}
  </ul>`
  }
  <form class="passkey-add" data-passkey-register data-options="/account/passkeys/options" data-verify="/account/passkeys/verify"
    data-failed="The passkey was not added. Try again." data-unsupported="This browser cannot make a passkey. Try another browser or device." hidden novalidate>
    <label for="passkey-name">Name of the new passkey</label>
    <p id="passkey-name-hint" class="hint">So you can tell your passkeys apart, such as "Work laptop". ${recent}</p>
    <input id="passkey-name" name="name" type="text" maxlength="64" autocomplete="off" aria-describedby="passkey-name-hint">
    <p class="error" role="alert" data-passkey-error hidden></p>
    <button type="submit" data-passkey-start>Add a passkey</button>
  </form>
  <noscript><p class="hint">Adding a passkey needs JavaScript.</p></noscript>
</section>`;
}

/**
 * @param {import('express-bandwidth-mfa').StoredPasskey} passkey
 * @param {number} i  its place in the list, for unique ids
 * @param {string} csrfToken
 */
function passkeyItem(passkey, i, csrfToken) {
  return html`<li>
    <p id="passkey-${i}"><strong>${passkey.name}</strong></p>
    <p>Added ${when(passkey.createdAt)}. ${passkey.lastUsedAt ? html`Last used ${when(passkey.lastUsedAt)}.` : 'Not used yet.'}</p>
    <form method="post" action="/account/passkeys/remove">
      <input type="hidden" name="_csrf" value="${csrfToken}">
      <input type="hidden" name="credentialId" value="${passkey.credentialId}">
      <input type="hidden" name="returnTo" value="/account?passkey=removed">
      <button type="submit" class="secondary" aria-describedby="passkey-${i}">Remove</button>
    </form>
  </li>
  `;
}

/** @param {{ email: string | null, csrfToken: string, recent: string }} section */
function emailSection({ email, csrfToken, recent }) {
  return html`<section class="card" aria-labelledby="email-heading">
  <h2 id="email-heading">Security notices</h2>
  <p>${email ? html`We write to <strong>${email}</strong> when your phone number, recovery codes or trusted browsers change.` : 'Add an e-mail address to hear when your phone number, recovery codes or trusted browsers change.'}</p>
  <form method="post" action="/account/email" novalidate>
    <input type="hidden" name="_csrf" value="${csrfToken}">
    ${emailField({ value: email ?? undefined })}
    <p id="email-recent" class="hint">${recent} Leave the field empty to stop the e-mails.</p>
    <button type="submit" class="secondary" aria-describedby="email-recent">Save address</button>
  </form>
</section>`;
}

/**
 * "Recent security activity": the factor's life from the app's history, with time and client address.
 * @param {import('../lib/db/security-events').SecurityEntry[]} activity
 */
function activitySection(activity) {
  return html`<section class="card" aria-labelledby="activity-heading">
  <h2 id="activity-heading">Recent security activity</h2>
  ${
    activity.length === 0
      ? html`<p>Nothing yet.</p>`
      : html`<ul class="activity" id="security-activity">
  ${activity.map(
    (
      entry,
    ) => html`<li><strong>${describeEvent(entry)}</strong>, ${when(entry.at)}${entry.ip ? html`, from ${entry.ip}` : ''}${entry.userAgent ? html` <span class="hint">(${describeUserAgent(entry.userAgent)})</span>` : ''}</li>
  `,
  )}</ul>`
  }
  <p class="hint">Not you? Change your password and contact support.</p>
</section>`;
}

/**
 * @param {import('express-bandwidth-mfa').TrustedDevice} device
 * @param {number} i  its place in the list, for unique ids
 * @param {string} csrfToken
 */
function deviceItem(device, i, csrfToken) {
  return html`<li>
    <p id="device-${i}"><strong>${describeUserAgent(device.userAgent)}</strong></p>
    ${device.userAgent ? html`<p class="hint user-agent">${device.userAgent}</p>` : ''}
    <p>Trusted ${when(device.createdAt)}, until ${when(device.expiresAt)}.</p>
    <form method="post" action="/account/trusted-browsers/revoke">
      <input type="hidden" name="_csrf" value="${csrfToken}">
      <input type="hidden" name="deviceId" value="${device.deviceId}">
      <button type="submit" class="secondary" aria-describedby="device-${i}">Stop trusting</button>
    </form>
  </li>
  `;
}

/**
 * "12 May 2026, 14:03 UTC" in a <time> element that also carries the exact instant.
 * @param {Date} date
 */
function when(date) {
  const text = date.toLocaleString('en-GB', { dateStyle: 'medium', timeStyle: 'short', timeZone: 'UTC' });
  return html`<time datetime="${date.toISOString()}">${text} UTC</time>`;
}

module.exports = { accountPage };
