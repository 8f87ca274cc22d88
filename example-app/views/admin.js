// The protected pages: the admin overview and the transfer form that needs a fresh, transfer-scoped code.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');

/** @param {{ username: string, csrfToken: string, banner?: import('./html').Html, passkeys: boolean }} view */
function adminPage({ username, csrfToken, banner, passkeys }) {
  const body = html`
<h1>Admin</h1>
<p class="notice" role="status">Signed in as <strong>${username}</strong> with a second factor.</p>
<p>Sensitive actions ask for a new code, even right after signing in.</p>
<p><a class="button" href="/admin/transfer">Make a transfer</a></p>
${passkeys ? html`<p><a href="/admin/api-keys">API keys</a>: only a passkey opens them, never a code.</p>` : ''}
<p><a href="/account">Security settings</a>: your phone number, recovery codes and trusted browsers.</p>`;
  return layout({ title: 'Admin', body, csrfToken, signedIn: true, banner });
}

/**
 * @param {object} view
 * @param {string} view.csrfToken
 * @param {import('./html').Html} [view.banner]
 * @param {{ amount: string }} [view.done]  the transfer just made
 * @param {string} [view.error]  what is wrong with the amount typed
 * @param {string} [view.amount]  the amount typed, shown again with the error
 * @param {string} [view.draft]  the amount asked for before the code, filled in to send again
 */
function transferPage({ csrfToken, banner, done, error, amount, draft }) {
  const value = amount ?? (done ? undefined : draft);
  const body = html`
<h1>Make a transfer</h1>
${done ? html`<p class="notice" role="status">Transfer of ${done.amount} USD sent.</p>` : ''}
${!done && !error && draft ? html`<p class="notice" role="status">The amount you asked to transfer, ${draft} USD, is filled in: send it to carry it out.</p>` : ''}
<form method="post" action="/admin/transfer" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  <label for="amount">Amount (USD)</label>
  ${error ? html`<p id="amount-error" class="error" role="alert">${error}</p>` : ''}
  <input id="amount" name="amount" type="text" inputmode="decimal" required value="${value ?? ''}"${error ? html` aria-describedby="amount-error" aria-invalid="true"` : ''}>
  <button type="submit">Send transfer</button>
</form>
<p class="hint">Each transfer asks for a code of its own: the text message names the amount, and the code works for that transfer only, within 5 minutes.</p>
<p><a href="/admin">Back to admin</a></p>`;
  return layout({ title: 'Make a transfer', body, csrfToken, signedIn: true, banner });
}

/**
 * Behind a phishing-resistant guard: a passkey of this session, not a code, opens it.
 * @param {{ csrfToken: string, banner?: import('./html').Html }} view
 */
function apiKeysPage({ csrfToken, banner }) {
  const body = html`
<h1>API keys</h1>
<p class="notice" role="status">Opened with a passkey: a code sent by SMS or voice does not open this page.</p>
<p>Live key: <code>sk_live_••••••••••••4f2a</code></p>
<p><a href="/admin">Back to admin</a></p>`;
  return layout({ title: 'API keys', body, csrfToken, signedIn: true, banner });
}

module.exports = { adminPage, transferPage, apiKeysPage };
