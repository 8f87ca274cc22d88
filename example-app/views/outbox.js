// The sandbox outbox: the security notices that SMTP_URL would have sent, newest first.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');

/** @param {{ mails: import('../lib/notifications').OutboxMail[], csrfToken: string, banner?: import('./html').Html }} view */
function outboxPage({ mails, csrfToken, banner }) {
  const body = html`
<h1>Sandbox outbox</h1>
<p>Without <code>SMTP_URL</code>, the security notices this account would get by e-mail are shown here instead (sandbox mode only).</p>
${
  mails.length === 0
    ? html`<p>No mail yet. Add an e-mail address in your <a href="/account">security settings</a>.</p>`
    : mails.map(
        (mail, i) => html`
<article class="card mail" aria-labelledby="mail-${i}">
  <h2 id="mail-${i}">${mail.subject}</h2>
  <p class="hint">From ${mail.from} to ${mail.to}, <time datetime="${mail.at.toISOString()}">${mail.at.toISOString()}</time></p>
  <pre>${mail.text}</pre>
</article>`,
      )
}
<p><a href="/account">Security settings</a></p>`;
  return layout({ title: 'Sandbox outbox', body, csrfToken, signedIn: true, banner });
}

module.exports = { outboxPage };
