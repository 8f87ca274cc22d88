// Password hashes: scrypt with a random salt, kept as one PHC-style string, checked in constant time.
'use strict';

const crypto = require('node:crypto');

/** @typedef {{ N: number, r: number, p: number }} ScryptCost  scrypt's cost settings */

// One of the scrypt settings OWASP lists as equivalent (N=2^15, r=8, p=3): 32 MiB per hash instead of 128.
/** @type {ScryptCost} */
const SCRYPT = { N: 32768, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// The PHC string format: $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>, both in base64 without padding.
const ENCODED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

/**
 * @param {string} password
 * @param {Buffer} salt
 * @param {ScryptCost} cost
 * @param {number} length
 * @returns {Promise<Buffer>}
 */
function derive(password, salt, { N, r, p }, length) {
  return new Promise((resolve, reject) => {
    // maxmem above 128·N·r so that the settings above (32 MiB) always fit.
    crypto.scrypt(password, salt, length, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const b64 = (/** @type {Buffer} */ buffer) => buffer.toString('base64').replace(/=+$/, '');

/**
 * @param {string} password
 * @param {ScryptCost} [cost]  the settings above unless a test asks for cheaper ones
 * @returns {Promise<string>} e.g. `$scrypt$ln=15,r=8,p=3$<salt>$<key>`
 */
async function hashPassword(password, cost = SCRYPT) {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, cost, KEY_LENGTH);
  return `$scrypt$ln=${Math.log2(cost.N)},r=${cost.r},p=${cost.p}$${b64(salt)}$${b64(key)}`;
}

/**
 * Checks a cost given to the data layer. Only tests give one (to spend milliseconds, not a quarter-second, per
 * sign-up); the app's configuration has no variable for it, so a deployment always hashes with SCRYPT.
 * @param {ScryptCost | undefined} cost
 * @returns {ScryptCost}
 */
function checkCost(cost) {
  if (cost === undefined) return SCRYPT;
  const { N, r, p } = cost ?? {};
  const whole = (/** @type {number} */ value, /** @type {number} */ max) => Number.isInteger(value) && value >= 1 && value <= max;
  if (!whole(N, 2 ** 20) || !Number.isInteger(Math.log2(N)) || N < 2 || !whole(r, 16) || !whole(p, 16)) {
    throw new TypeError('passwordCost must be { N: a power of 2 up to 2^20, r: 1-16, p: 1-16 }.');
  }
  return { N, r, p };
}

/**
 * The settings stored with the hash, so hashes made with other settings still verify after a change.
 * @param {unknown} encoded
 */
function decode(encoded) {
  const match = typeof encoded === 'string' ? ENCODED.exec(encoded) : null;
  if (!match) throw new Error('A stored password hash is not in the $scrypt$ln=…,r=…,p=…$salt$key format.');
  // Every group of the pattern is set once it matched; the defaults only tell the checker so.
  const [, ln, r, p, salt = '', key = ''] = match;
  // A hash from elsewhere must not make one sign-in cost gigabytes of memory.
  if (Number(ln) > 20 || Number(r) > 16 || Number(p) > 16)
    throw new Error('A stored password hash asks for scrypt settings above ln=20, r=16, p=16.');
  return { params: { N: 2 ** Number(ln), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/**
 * Constant-time comparison of the password against an encoded hash.
 * @param {string} password
 * @param {string} encoded
 */
async function passwordMatches(password, encoded) {
  const { params, salt, key } = decode(encoded);
  const candidate = await derive(password, salt, params, key.length);
  return crypto.timingSafeEqual(candidate, key);
}

module.exports = { hashPassword, passwordMatches, checkCost };
