// A software passkey (ES256, `none` attestation) and its storage hooks, so the bench can verify a session with a passkey.
const { createHash, generateKeyPairSync, randomBytes, sign } = require('node:crypto');

const ORIGIN = 'https://bench.local';
const RP_ID = 'bench.local';

/**
 * A CBOR item's head: its major type and its length (or value).
 * @param {number} major
 * @param {number} length
 */
function head(major, length) {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const out = Buffer.alloc(3);
  out[0] = (major << 5) | 25;
  out.writeUInt16BE(length, 1);
  return out;
}

/** @typedef {import('./types').CborValue} CborValue */

/**
 * The CBOR WebAuthn needs: integers, byte and text strings, maps (a Map keeps integer keys).
 * @param {CborValue} value
 * @returns {Buffer}
 */
function cbor(value) {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  /** @type {[number | string, CborValue][]} */
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const sha256 = (/** @type {string | Buffer} */ data) => createHash('sha256').update(data).digest();

/**
 * @typedef {object} SoftwarePasskey
 * @property {(options: { challenge: string }) => object} register The registration answer to the library's options.
 * @property {(options: { challenge: string }) => object} assert The sign-in answer to the library's options.
 */

/** @returns {SoftwarePasskey} */
function softwarePasskey() {
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const credentialId = randomBytes(16);
  const id = credentialId.toString('base64url');
  let counter = 0;
  /**
   * @param {number} flags
   * @param {Buffer} [attested]
   */
  const authData = (flags, attested) => {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(RP_ID), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  };
  const clientData = (/** @type {string} */ type, /** @type {string} */ challenge) =>
    Buffer.from(JSON.stringify({ type, challenge, origin: ORIGIN, crossOrigin: false }));
  return {
    register({ challenge }) {
      const jwk = publicKey.export({ format: 'jwk' });
      const cose = cbor(
        new Map(
          /** @type {[number, CborValue][]} */ ([
            [1, 2],
            [3, -7],
            [-1, 1],
            [-2, Buffer.from(/** @type {string} */ (jwk.x), 'base64url')],
            [-3, Buffer.from(/** @type {string} */ (jwk.y), 'base64url')],
          ]),
        ),
      );
      const length = Buffer.alloc(2);
      length.writeUInt16BE(credentialId.length);
      const attested = Buffer.concat([Buffer.alloc(16), length, credentialId, cose]);
      return {
        id,
        rawId: id,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: clientData('webauthn.create', challenge).toString('base64url'),
          attestationObject: cbor({ fmt: 'none', attStmt: {}, authData: authData(0x45, attested) }).toString('base64url'),
          transports: ['internal'],
        },
      };
    },
    assert({ challenge }) {
      counter += 1;
      const data = authData(0x05);
      const json = clientData('webauthn.get', challenge);
      const signature = sign('sha256', Buffer.concat([data, sha256(json)]), privateKey);
      return {
        id,
        rawId: id,
        type: 'public-key',
        clientExtensionResults: {},
        response: {
          clientDataJSON: json.toString('base64url'),
          authenticatorData: data.toString('base64url'),
          signature: signature.toString('base64url'),
        },
      };
    },
  };
}

/**
 * The `passkeys` option over a Map, as an app would over its table.
 * @returns {import('express-bandwidth-mfa').PasskeysOptions}
 */
function passkeysOption() {
  /** @type {Map<string, import('express-bandwidth-mfa').StoredPasskey[]>} */
  const table = new Map();
  const of = (/** @type {string} */ userId) => table.get(userId) ?? [];
  return {
    rpId: RP_ID,
    rpName: 'Bench',
    origins: [ORIGIN],
    listPasskeys: (userId) => of(userId),
    savePasskey: (userId, passkey) => void table.set(userId, [...of(userId), passkey]),
    updatePasskeyCounter: (userId, credentialId, counter, lastUsedAt) => {
      const passkey = of(userId).find((p) => p.credentialId === credentialId);
      if (passkey) Object.assign(passkey, { counter, lastUsedAt });
    },
    removePasskey: () => false,
  };
}

module.exports = { softwarePasskey, passkeysOption };
