// The demo's user records: loaded once, passwords hashed in memory with scrypt, checked in constant time.
'use strict';

const fs = require('node:fs');
const crypto = require('node:crypto');

const DEFAULT_USERS = [{ username: 'demo', password: 'demo-password', phone: '+15555550100' }];
const E164 = /^\+[1-9]\d{6,14}$/;
// One of the scrypt settings OWASP lists as equivalent (N=2^15, r=8, p=3): 32 MiB per hash instead of 128.
const SCRYPT = { N: 32768, r: 8, p: 3, maxmem: 64 * 1024 * 1024 };
const KEY_LENGTH = 32;
const MAX_PASSWORD_LENGTH = 1024;

function hash(password, salt) {
  return new Promise((resolve, reject) => {
    crypto.scrypt(password, salt, KEY_LENGTH, SCRYPT, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

async function hashPassword(password) {
  const salt = crypto.randomBytes(16);
  return { salt, key: await hash(password, salt) };
}

/** Reads `{username, password, phone}` records from a JSON file, or the demo user when no file is given. */
function readUserRecords(file) {
  if (!file) return DEFAULT_USERS;
  const records = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (!Array.isArray(records) || records.length === 0) throw new Error(`${file} must hold a non-empty JSON array of {username, password, phone}.`);
  const seen = new Set();
  records.forEach((record, i) => {
    const where = `${file}[${i}]`;
    if (typeof record?.username !== 'string' || !/^[\w.@-]{1,64}$/.test(record.username)) throw new Error(`${where}.username must be 1–64 letters, digits, ".", "@", "_" or "-".`);
    if (seen.has(record.username)) throw new Error(`${where}.username "${record.username}" appears twice.`);
    seen.add(record.username);
    if (typeof record.password !== 'string' || record.password.length < 8 || record.password.length > MAX_PASSWORD_LENGTH) throw new Error(`${where}.password must be 8–${MAX_PASSWORD_LENGTH} characters.`);
    if (typeof record.phone !== 'string' || !E164.test(record.phone)) throw new Error(`${where}.phone must be E.164, like +15555550100.`);
  });
  return records;
}

/**
 * @param {string} [file]  EXAMPLE_USERS_FILE
 * @returns {Promise<{ findById(id: string): {id: string, username: string, phone: string} | undefined,
 *   checkPassword(username: unknown, password: unknown): Promise<{id: string, username: string, phone: string} | null>,
 *   usingDefaults: boolean }>}
 */
async function loadUsers(file) {
  const records = readUserRecords(file);
  const byName = new Map();
  for (const record of records) {
    byName.set(record.username, { id: record.username, username: record.username, phone: record.phone, hash: await hashPassword(record.password) });
  }
  // Unknown usernames are hashed against this too, so they take as long as a wrong password.
  const dummy = await hashPassword(crypto.randomBytes(16).toString('hex'));

  return {
    usingDefaults: !file,
    findById(id) {
      const user = typeof id === 'string' ? byName.get(id) : undefined;
      return user && { id: user.id, username: user.username, phone: user.phone };
    },
    async checkPassword(username, password) {
      if (typeof username !== 'string' || typeof password !== 'string' || password.length > MAX_PASSWORD_LENGTH) return null;
      const user = byName.get(username);
      const expected = user ? user.hash : dummy;
      const key = await hash(password, expected.salt);
      const match = crypto.timingSafeEqual(key, expected.key);
      return match && user ? { id: user.id, username: user.username, phone: user.phone } : null;
    },
  };
}

module.exports = { loadUsers };
