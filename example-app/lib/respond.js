// Small helpers the routes share: JSON or HTML, the signed-in user, allowed return paths.
'use strict';

/**
 * Same rule as the library: a JSON body, or an Accept header that prefers JSON.
 * @param {import('express').Request} req
 */
function wantsJson(req) {
  return Boolean(req.is('application/json')) || req.accepts(['html', 'json']) === 'json';
}

/** Where a sign-in may send the user back to: a fixed list, so no open redirect is possible. */
const RETURN_PATHS = new Set(['/admin', '/admin/transfer', '/account']);

/**
 * @param {unknown} value  as the form or the query sent it
 * @returns {string | undefined}
 */
function safeReturnPath(value) {
  return typeof value === 'string' && RETURN_PATHS.has(value) ? value : undefined;
}

/**
 * The signed-in user's record (password step done), or undefined.
 * @param {import('express').Request} req
 * @param {Pick<import('./db').Accounts, 'findById'>} accounts
 * @returns {Promise<import('./db/accounts').User | undefined>}
 */
async function currentUser(req, accounts) {
  const userId = req.session?.userId;
  return typeof userId === 'string' ? accounts.findById(userId) : undefined;
}

/**
 * The user of a route behind requireSecondFactor(), which has just found them: none is an error (a 500), not a sign-out.
 * @param {import('express').Request} req
 * @param {Pick<import('./db').Accounts, 'findById'>} accounts
 * @returns {Promise<import('./db/accounts').User>}
 */
async function signedInUser(req, accounts) {
  const user = await currentUser(req, accounts);
  if (!user) throw new Error('The signed-in user of a guarded route was not found.');
  return user;
}

module.exports = { wantsJson, safeReturnPath, currentUser, signedInUser };
