// The key of the recovery codes' hashes: MFA_RECOVERY_CODE_SECRET, or in development one kept in a file beside the accounts.
'use strict';

const fs = require('node:fs');
const path = require('node:path');
const { randomBytes } = require('node:crypto');
const { DEFAULT_SQLITE_FILE, parseDatabaseUrl } = require('./db/connect');

const FILE_NAME = 'recovery-code-secret';

/**
 * Where the development secret lives: beside the SQLite file (example-app/data/ by default, git-ignored), or in
 * example-app/data/ for PostgreSQL. A secret made at random on each start would void every stored code at the next
 * restart, while the database keeps their hashes; a file keeps it as long as the accounts it belongs to.
 * @param {string | undefined} databaseUrl
 */
function developmentSecretFile(databaseUrl) {
  const target = parseDatabaseUrl(databaseUrl);
  return path.join(path.dirname(target.engine === 'sqlite' && target.file ? target.file : DEFAULT_SQLITE_FILE), FILE_NAME);
}

/**
 * @param {{ recoveryCodeSecret?: string, databaseUrl?: string }} config  readConfig() refuses production without the variable
 * @param {{ warn(m: string): void }} logger
 * @returns {string}
 */
function recoveryCodeSecret(config, logger) {
  if (config.recoveryCodeSecret) return config.recoveryCodeSecret;
  const file = developmentSecretFile(config.databaseUrl);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  if (!fs.existsSync(file)) createOnce(file);
  const secret = fs.readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new Error(
      `${file} holds no usable recovery-code secret (under 32 characters); delete it to make a new one (every stored recovery code stops working) or set MFA_RECOVERY_CODE_SECRET.`,
    );
  logger.warn(
    `MFA_RECOVERY_CODE_SECRET is not set: recovery codes are keyed with the development secret in ${file}. Set the variable beyond a laptop (production refuses to start without it).`,
  );
  return secret;
}

/**
 * Written whole under another name, then linked: of two processes starting at once, one wins and neither reads half a file.
 * @param {string} file
 */
function createOnce(file) {
  const draft = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(draft, `${randomBytes(48).toString('base64url')}\n`, { mode: 0o600 });
  try {
    fs.linkSync(draft, file);
  } catch (error) {
    if (/** @type {NodeJS.ErrnoException} */ (error)?.code !== 'EEXIST') throw error;
  } finally {
    fs.rmSync(draft, { force: true });
  }
}

module.exports = { recoveryCodeSecret };
