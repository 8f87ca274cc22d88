// What a username and a password may be: one rule for sign-up and the users file alike.
'use strict';

const USERNAME = /^[\w.@-]{1,64}$/;
const MIN_PASSWORD_LENGTH = 8;
// scrypt of a megabyte-long password is a cheap way to burn CPU: refuse it before hashing.
const MAX_PASSWORD_LENGTH = 1024;

/**
 * The sentence for a bad username, or undefined when it is fine.
 * @param {unknown} username
 */
function usernameProblem(username) {
  if (typeof username !== 'string' || !USERNAME.test(username))
    return 'Choose a username of 1 to 64 letters, digits, ".", "@", "_" or "-".';
  return undefined;
}

/**
 * The sentence for a bad new password, or undefined when it is fine.
 * @param {unknown} password
 */
function passwordProblem(password) {
  if (typeof password !== 'string' || password.length < MIN_PASSWORD_LENGTH)
    return `Choose a password of at least ${MIN_PASSWORD_LENGTH} characters.`;
  if (password.length > MAX_PASSWORD_LENGTH) return `Choose a password of at most ${MAX_PASSWORD_LENGTH} characters.`;
  return undefined;
}

module.exports = { usernameProblem, passwordProblem, MIN_PASSWORD_LENGTH, MAX_PASSWORD_LENGTH };
