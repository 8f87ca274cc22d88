// The enrolment page while the user is locked out: the library's own lockout (the challenge page's), in this app's layout.
'use strict';

const { libraryPage } = require('./layout');

/**
 * For `challengePage({ render })`: the same sentences, wait and "Check again" as the challenge page's lockout.
 * @param {object} view
 * @param {import('express-bandwidth-mfa').ChallengeState} view.state
 * @param {import('express-bandwidth-mfa').ChallengePagePieces} view.pieces
 * @param {ReturnType<typeof import('./sandbox-banner').sandboxBanner>} [view.banner]  sandbox mode only
 */
function lockoutPage({ state, pieces, banner }) {
  return libraryPage(pieces, { secondFactor: Boolean(state.enrolled && state.verified), banner });
}

module.exports = { lockoutPage };
