// The sign-up page: username and password, each error next to its own field.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');
const { field, emailField } = require('./form-parts');
const { MIN_PASSWORD_LENGTH } = require('../lib/account-rules');

/**
 * @param {object} view
 * @param {string} view.csrfToken
 * @param {{ username?: string, password?: string, email?: string }} view.errors  a sentence per field
 * @param {string} [view.username]  kept after a refusal; the password never is
 * @param {string} [view.email]  kept after a refusal
 * @param {import('./html').Html} [view.banner]
 */
function signupPage({ csrfToken, errors, username, email, banner }) {
  const body = html`
<h1>Create an account</h1>
<form method="post" action="/signup" class="card" novalidate>
  <input type="hidden" name="_csrf" value="${csrfToken}">
  ${field({
    name: 'username',
    label: 'Username',
    type: 'text',
    value: username,
    error: errors.username,
    autofocus: !errors.password,
    hint: 'Letters, digits, ".", "@", "_" or "-"; up to 64.',
    attributes: html` autocomplete="username" autocapitalize="none" spellcheck="false"`,
  })}
  ${field({
    name: 'password',
    label: 'Password',
    type: 'password',
    error: errors.password,
    autofocus: Boolean(errors.password) && !errors.username,
    hint: `At least ${MIN_PASSWORD_LENGTH} characters.`,
    attributes: html` autocomplete="new-password"`,
  })}
  ${emailField({ value: email, error: errors.email })}
  <button type="submit">Create account</button>
</form>
<p>Already have an account? <a href="/login">Sign in</a></p>
<p class="hint">Next you add a phone number: codes are sent there when you sign in.</p>`;
  return layout({ title: 'Create an account', body, csrfToken, signedIn: false, banner });
}

module.exports = { signupPage };
