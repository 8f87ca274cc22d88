// EXAMPLE_USERS_FILE (or the demo user) written into the database at start: new users inserted, known ones updated.
'use strict';

const fs = require('node:fs');
const { isE164PhoneNumber } = require('./phone-numbers');
const { usernameProblem, passwordProblem } = require('./account-rules');

/** @typedef {{ username: string, password: string, phone?: string | null }} UserRecord */

const DEMO_USER = { username: 'demo', password: 'demo-password', phone: '+12015550100' };

/**
 * Reads `{username, password, phone?}` records, or the demo user when no file is given. `phone` may be left out
 * (the stored number, if any, is kept; a new user enrols one at the next sign-in) or null (the number is removed).
 * @param {string | undefined} file  EXAMPLE_USERS_FILE
 * @returns {UserRecord[]}
 */
function readUserRecords(file) {
  if (!file) return [DEMO_USER];
  const records = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(records) || records.length === 0)
    throw new Error(`${file} must hold a non-empty JSON array of {username, password, phone}.`);
  const seen = new Set();
  records.forEach((record, i) => {
    const where = `${file}[${i}]`;
    if (usernameProblem(record?.username)) throw new Error(`${where}.username must be 1–64 letters, digits, ".", "@", "_" or "-".`);
    if (seen.has(record.username.toLowerCase()))
      throw new Error(`${where}.username "${record.username}" appears twice (letter case aside).`);
    seen.add(record.username.toLowerCase());
    const passwordError = passwordProblem(record.password);
    if (passwordError) throw new Error(`${where}.password: ${passwordError}`);
    // The number itself is never repeated in the message: it ends up in logs.
    if (record.phone !== undefined && record.phone !== null && !isE164PhoneNumber(record.phone)) {
      throw new Error(`${where}.phone must be a valid number in E.164 form, like +12015550123 (or left out to enrol one at sign-in).`);
    }
  });
  return records;
}

/**
 * Inserts or updates each record of `readUserRecords(file)`; a known username gets the record's password (and
 * number, when the record has one).
 * @param {import('./db').Accounts} accounts
 * @param {{ records: UserRecord[], file?: string }} users
 * @param {{ warn(m: string): void }} logger
 */
async function seedUsers(accounts, { records, file }, logger) {
  for (const [i, record] of records.entries()) {
    const user = await upsert(accounts, record, `${file ?? 'the demo user'}[${i}]`);
    if (record.phone !== undefined) await accounts.setPhoneNumber(user.id, record.phone);
  }
  if (file && !records.some((record) => record.username === DEMO_USER.username)) await retirePublishedDemo(accounts, logger);
  return records.length;
}

/**
 * @param {import('./db').Accounts} accounts
 * @param {UserRecord} record
 * @param {string} where  the record's place in the file, for the error
 */
async function upsert(accounts, record, where) {
  const existing = await accounts.findByUsername(record.username);
  if (existing) {
    await accounts.setPassword(existing.id, record.password);
    return existing;
  }
  try {
    return await accounts.createUser({ username: record.username, password: record.password });
  } catch (error) {
    if (/** @type {{ code?: unknown } | undefined} */ (error)?.code !== 'username_taken') throw error;
    // Another instance inserted it meanwhile, or an account differs only in letter case.
    const raced = await accounts.findByUsername(record.username);
    if (!raced)
      throw new Error(`${where}.username "${record.username}" clashes with an existing account whose name differs only in letter case.`, {
        cause: error,
      });
    await accounts.setPassword(raced.id, record.password);
    return raced;
  }
}

/**
 * A database used with the demo user before keeps it; its password is published, so it goes once a real file is used.
 * @param {import('./db').Accounts} accounts
 * @param {{ warn(m: string): void }} logger
 */
async function retirePublishedDemo(accounts, logger) {
  // The cheap look-up first: most databases never had the demo user, and a password check costs an scrypt.
  if (!(await accounts.findByUsername(DEMO_USER.username))) return;
  const demo = await accounts.checkPassword(DEMO_USER.username, DEMO_USER.password);
  if (!demo) return;
  await accounts.deleteUser(demo.id);
  logger.warn('Removed the user "demo" with the published password demo-password: EXAMPLE_USERS_FILE is set and does not define it.');
}

module.exports = { seedUsers, readUserRecords, DEMO_USER };
