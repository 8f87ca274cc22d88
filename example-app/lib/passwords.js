// Password hashes: scrypt with a random salt, kept as one PHC-style string, checked in constant time.
'use strict';

const crypto = require('node:crypto');

// One of the scrypt settings OWASP lists as equivalent (N=2^15, r=8, p=3): 32 MiB per hash instead of 128.
const SCRYPT = { N: 32768, r: 8, p: 3 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
// The PHC string format: $scrypt$ln=<log2 N>,r=<r>,p=<p>$<salt>$<key>, both in base64 without padding.
const ENCODED = /^\$scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d{1,2})\$([A-Za-z0-9+/]{16,})\$([A-Za-z0-9+/]{16,})$/;

function derive(password, salt, { N, r, p }, length) {
  return new Promise((resolve, reject) => {
    // maxmem above 128·N·r so that the settings above (32 MiB) always fit.
    crypto.scrypt(password, salt, length, { N, r, p, maxmem: 256 * N * r }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

const b64 = (buffer) => buffer.toString('base64').replace(/=+$/, '');

/** @returns {Promise<string>} e.g. `$scrypt$ln=15,r=8,p=3$<salt>$<key>` */
async function hashPassword(password) {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const key = await derive(password, salt, SCRYPT, KEY_LENGTH);
  return `$scrypt$ln=${Math.log2(SCRYPT.N)},r=${SCRYPT.r},p=${SCRYPT.p}$${b64(salt)}$${b64(key)}`;
}

/** The settings stored with the hash, so hashes made with other settings still verify after a change. */
function decode(encoded) {
  const match = typeof encoded === 'string' ? ENCODED.exec(encoded) : null;
  if (!match) throw new Error('A stored password hash is not in the $scrypt$ln=…,r=…,p=…$salt$key format.');
  const [, ln, r, p, salt, key] = match;
  // A hash from elsewhere must not make one sign-in cost gigabytes of memory.
  if (Number(ln) > 20 || Number(r) > 16 || Number(p) > 16) throw new Error('A stored password hash asks for scrypt settings above ln=20, r=16, p=16.');
  return { params: { N: 2 ** Number(ln), r: Number(r), p: Number(p) }, salt: Buffer.from(salt, 'base64'), key: Buffer.from(key, 'base64') };
}

/** Constant-time comparison of the password against an encoded hash. */
async function passwordMatches(password, encoded) {
  const { params, salt, key } = decode(encoded);
  const candidate = await derive(password, salt, params, key.length);
  return crypto.timingSafeEqual(candidate, key);
}

module.exports = { hashPassword, passwordMatches };
