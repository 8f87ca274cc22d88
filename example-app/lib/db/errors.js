// Refusals of the account data layer that a form can show next to the field they are about.
'use strict';

class AccountError extends Error {
  /**
   * @param {'invalid_username' | 'invalid_password' | 'username_taken'} code
   * @param {'username' | 'password'} field
   * @param {string} message  a sentence for the person filling the form
   */
  constructor(code, field, message) {
    super(message);
    this.name = 'AccountError';
    this.code = code;
    this.field = field;
  }
}

/**
 * A second row with the same unique value: SQLite and PostgreSQL say it differently.
 * @param {unknown} error
 */
function isUniqueViolation(error) {
  const code = /** @type {{ code?: unknown } | null | undefined} */ (error)?.code;
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
}

module.exports = { AccountError, isUniqueViolation };
