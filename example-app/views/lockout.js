// The enrolment page while the user is locked out: the wait the library computed, and where to check again.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');

function lockoutPage({ state, csrfToken, banner, checkAgain }) {
  const held = state.accountLocked;
  const body = html`
<h1>${held ? 'Account locked' : 'Too many attempts'}</h1>
<p class="error" role="alert">${state.lockoutMessage ?? 'Too many attempts. Try again later.'}</p>
<p>${
    held
      ? 'Codes and recovery codes cannot be used for this account until support unlocks it.'
      : 'For your security, codes cannot be sent or checked for this account until then. Signing out does not shorten the wait.'
  }</p>
${held ? '' : html`<p><a href="${checkAgain}">Check again</a></p>`}`;
  return layout({
    title: held ? 'Account locked' : 'Too many attempts',
    body,
    csrfToken,
    signedIn: true,
    secondFactor: Boolean(state.enrolled && state.verified),
    banner,
  });
}

module.exports = { lockoutPage };
