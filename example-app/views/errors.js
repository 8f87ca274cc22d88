// Plain pages for refusals the app answers itself: expired form, unavailable storage, not found.
'use strict';

const { html } = require('./html');
const { layout } = require('./layout');

/** @param {{ title: string, message: string, link?: { href: string, text: string } }} page */
function errorPage({ title, message, link = { href: '/', text: 'Start again' } }) {
  const body = html`
<h1>${title}</h1>
<p role="alert">${message}</p>
<p><a href="${link.href}">${link.text}</a></p>`;
  return layout({ title, body });
}

module.exports = { errorPage };
