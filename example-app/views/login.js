// The sign-in page: username and password, with the error tied to both fields.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');

/**
 * @param {object} view
 * @param {string} view.csrfToken
 * @param {string} [view.username]  kept after a failed attempt
 * @param {string} [view.error]
 * @param {string} [view.returnTo]  a same-site path to go to after signing in
 * @param {boolean} [view.demoHint]  show the demo credentials (default users only)
 * @param {import('./html').Html} [view.banner]
 */
function loginPage({ csrfToken, username, error, returnTo, demoHint, banner }) {
  // Both fields point at the one error: the page never says which of the two was wrong.
  const errorRef = error ? html` aria-describedby="login-error" aria-invalid="true"` : '';
  const body = html`
<h1>Sign in</h1>
${demoHint ? html`<p class="hint">Demo account: <code>demo</code> / <code>demo-password</code></p>` : ''}
<form method="post" action="/login" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${returnTo ? html`<input type="hidden" name="returnTo" value="${returnTo}">` : ''}
  ${error ? html`<p id="login-error" class="error" role="alert">${error}</p>` : ''}
  <label for="username">Username</label>
  <input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false"
    required value="${username ?? ''}"${errorRef}${username ? '' : html` autofocus`}>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" autocomplete="current-password" required${errorRef}${username ? html` autofocus` : ''}>
  <button type="submit">Sign in</button>
</form>
<p>No account yet? <a href="/signup">Create one</a></p>`;
  return layout({ title: 'Sign in', body, csrfToken, signedIn: false, banner });
}

module.exports = { loginPage };
