// The recovery-codes pages: a new set shown with download, print and "I have saved them"; or, with none waiting, a new set.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');

/**
 * @param {object} view
 * @param {string[]} view.codes
 * @param {string} view.csrfToken
 * @param {string} [view.error]  the "I have saved them" box was not ticked
 * @param {import('./html').Html} [view.banner]
 */
function recoveryCodesPage({ codes, csrfToken, error, banner }) {
  const body = html`
<h1>Save your recovery codes</h1>
<p>If you lose your phone, each code lets you sign in once, in place of a code by text or call.
We show them only until you confirm you saved them: keep them somewhere safe, away from your phone
(a password manager, or on paper).</p>
<ol class="recovery-codes" aria-label="Your ${codes.length} recovery codes">
${codes.map(
  (code) => html`  <li><code>${code}</code></li>
`,
)}</ol>
<p class="actions">
  <a class="button secondary" href="/2fa/recovery-codes.txt" download="recovery-codes.txt">Download as .txt</a>
  <button type="button" class="secondary" id="print-codes" hidden>Print</button>
</p>
<form method="post" action="/2fa/recovery-codes/saved" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${error ? html`<p id="saved-error" class="error" role="alert">${error}</p>` : ''}
  <div class="check">
    <input id="saved" name="saved" type="checkbox" value="yes" required${error ? html` aria-describedby="saved-error" aria-invalid="true" autofocus` : ''}>
    <label for="saved">I have saved these codes somewhere safe</label>
  </div>
  <button type="submit">Continue</button>
</form>`;
  return layout({ title: 'Save your recovery codes', body, csrfToken, signedIn: true, banner, scripts: ['print.js'] });
}

/**
 * No new codes waiting (they were saved, or a code was asked for first): how many are left, and a new set.
 * @param {{ left?: number, csrfToken: string, banner?: import('./html').Html }} view
 */
function noNewCodesPage({ left, csrfToken, banner }) {
  const body = html`
<h1>Recovery codes</h1>
${left === undefined ? '' : html`<p>You have <strong>${left}</strong> recovery ${left === 1 ? 'code' : 'codes'} left.</p>`}
<form method="post" action="/account/recovery-codes" class="card">
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <p id="new-codes-hint" class="hint">A new set of 10 replaces every code you have now. We show it once.</p>
  <button type="submit" aria-describedby="new-codes-hint">Make new codes</button>
</form>
<p><a href="/account">Back to security settings</a></p>`;
  return layout({ title: 'Recovery codes', body, csrfToken, signedIn: true, banner });
}

/**
 * The .txt download: what the codes are for, then one per line.
 * @param {{ codes: string[], username: string, madeAt: number }} file  `madeAt` in ms
 */
function recoveryCodesText({ codes, username, madeAt }) {
  return [
    `Example Co. recovery codes for ${username}`,
    `Made ${new Date(madeAt).toISOString().replace('T', ' ').slice(0, 16)} UTC. Each code works once, in place of a code sent to your phone.`,
    'Keep them somewhere safe, away from your phone. Making a new set voids all of these.',
    '',
    ...codes,
    '',
  ].join('\r\n');
}

module.exports = { recoveryCodesPage, noNewCodesPage, recoveryCodesText };
