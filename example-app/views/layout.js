// The page shell every view shares: head, header with sign-out, the sandbox banner, main content.
'use strict';

const { html } = require('./html');

/**
 * @param {object} page
 * @param {string} page.title
 * @param {object} page.body  html`` fragment
 * @param {string} [page.csrfToken]  shows the sign-out button when given with `signedIn`
 * @param {boolean} [page.signedIn]
 * @param {object} [page.banner]  html`` fragment shown above the content (sandbox mode)
 * @param {string[]} [page.scripts]  more of our own scripts under /static (the CSP allows no inline script)
 */
function layout({ title, body, csrfToken, signedIn, banner, scripts = [] }) {
  return html`<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Example Co.</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
<link rel="stylesheet" href="/static/style.css">
<script src="/static/countdown.js" defer></script>
${scripts.map((src) => html`<script src="/static/${src}" defer></script>
`)}</head>
<body>
<header class="top">
  <span class="brand">Example Co.</span>
  ${signedIn && csrfToken ? html`<nav class="account-nav" aria-label="Account">
    <a href="/account">Security</a>
    <form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="${csrfToken}">
      <button type="submit" class="link">Sign out</button>
    </form>
  </nav>` : ''}
</header>
<main id="main">
${banner ?? ''}
${body}
</main>
</body>
</html>
`.toString();
}

module.exports = { layout };
