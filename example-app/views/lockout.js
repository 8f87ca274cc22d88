// The enrolment page while the user is locked out: the library's own lockout (the challenge page's), in this app's layout.
'use strict';

const { trustedHtml } = require('./html');
const { layout } = require('./layout');

/**
 * For `challengePage({ render })`: the same sentences, wait and "Check again" as the challenge page's lockout.
 * @param {object} view
 * @param {import('express-bandwidth-mfa').ChallengeState} view.state
 * @param {import('express-bandwidth-mfa').ChallengePagePieces} view.pieces
 * @param {ReturnType<typeof import('./sandbox-banner').sandboxBanner>} [view.banner]  sandbox mode only
 */
function lockoutPage({ state, pieces, banner }) {
  return layout({
    title: pieces.title,
    lang: pieces.lang,
    head: pieces.head,
    body: trustedHtml(pieces.body),
    csrfToken: pieces.csrfToken,
    signedIn: true,
    secondFactor: Boolean(state.enrolled && state.verified),
    banner,
  });
}

module.exports = { lockoutPage };
