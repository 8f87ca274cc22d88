// The page shell every view shares: head, header with the links that work at this step, the sandbox banner, main content.
'use strict';

const { html, trustedHtml } = require('./html');

/**
 * @param {object} page
 * @param {string} page.title
 * @param {import('./html').Html} page.body
 * @param {string} [page.csrfToken]  shows the sign-out button when given with `signedIn`
 * @param {boolean} [page.signedIn]
 * @param {boolean} [page.secondFactor]  false before the second factor: links that need it (Security) would only bounce to /2fa
 * @param {boolean} [page.signOut]  false where the page itself offers the way out (the challenge page's "Not you? Sign out")
 * @param {import('./html').Html} [page.banner]  shown above the content (sandbox mode)
 * @param {string[]} [page.scripts]  more of our own scripts under /static (the CSP allows no inline script)
 * @param {string} [page.head]  ready `<head>` HTML from the library's page (its stylesheet and scripts, all external)
 * @param {string} [page.lang]  the language the library's page speaks; ours is English
 */
function layout({ title, body, csrfToken, signedIn, secondFactor = true, signOut = true, banner, scripts = [], head, lang = 'en' }) {
  const security = signedIn && secondFactor;
  const out = signedIn && signOut && csrfToken;
  return html`<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title} · Example Co.</title>
<link rel="icon" href="/static/favicon.svg" type="image/svg+xml">
${
  head
    ? html`${trustedHtml(head)}
`
    : ''
}<link rel="stylesheet" href="/static/style.css">
${scripts.map(
  (src) => html`<script src="${src.startsWith('/') ? src : `/static/${src}`}" defer></script>
`,
)}</head>
<body>
<header class="top">
  <span class="brand">Example Co.</span>
  ${
    security || out
      ? html`<nav class="account-nav" aria-label="Account">
    ${security ? html`<a href="/account">Security</a>` : ''}
    ${
      out
        ? html`<form method="post" action="/logout" class="inline">
      <input type="hidden" name="_csrf" value="${csrfToken}">
      <button type="submit" class="link">Sign out</button>
    </form>`
        : ''
    }
  </nav>`
      : ''
  }
</header>
<main id="main">
${banner ?? ''}
${body}
</main>
</body>
</html>
`.toString();
}

/**
 * A page the library rendered (`challengePage({ render })`), in our layout: its title, language, head and body, for a signed-in user.
 * @param {import('express-bandwidth-mfa').ChallengePagePieces} pieces
 * @param {{ secondFactor: boolean, signOut?: boolean, banner?: import('./html').Html }} options
 */
function libraryPage(pieces, { secondFactor, signOut = true, banner }) {
  return layout({
    title: pieces.title,
    lang: pieces.lang,
    head: pieces.head,
    body: trustedHtml(pieces.body),
    csrfToken: pieces.csrfToken,
    signedIn: true,
    secondFactor,
    signOut,
    banner,
  });
}

module.exports = { layout, libraryPage };
