// Small helpers the routes share: JSON or HTML, the signed-in user, allowed return paths.
'use strict';

/** Same rule as the library: a JSON body, or an Accept header that prefers JSON. */
function wantsJson(req) {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}

/** Where a sign-in may send the user back to: a fixed list, so no open redirect is possible. */
const RETURN_PATHS = new Set(['/admin', '/admin/transfer', '/account']);

function safeReturnPath(value) {
  return typeof value === 'string' && RETURN_PATHS.has(value) ? value : undefined;
}

/** The signed-in user's record (password step done), or undefined. */
async function currentUser(req, accounts) {
  const userId = req.session?.userId;
  return typeof userId === 'string' ? accounts.findById(userId) : undefined;
}

module.exports = { wantsJson, safeReturnPath, currentUser };
