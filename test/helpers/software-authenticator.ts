// A passkey authenticator in software (ES256, `none` attestation), to make the responses a browser would send, good or forged.
import { createHash, generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';

type Cbor = number | string | Buffer | Cbor[] | Map<Cbor, Cbor> | { [key: string]: Cbor };

function head(major: number, length: number): Buffer {
  if (length < 24) return Buffer.from([(major << 5) | length]);
  if (length < 256) return Buffer.from([(major << 5) | 24, length]);
  const out = Buffer.alloc(3);
  out[0] = (major << 5) | 25;
  out.writeUInt16BE(length, 1);
  return out;
}

/** The few CBOR kinds WebAuthn needs: integers, byte and text strings, maps. */
export function cbor(value: Cbor): Buffer {
  if (typeof value === 'number') return value >= 0 ? head(0, value) : head(1, -1 - value);
  if (typeof value === 'string') return Buffer.concat([head(3, Buffer.byteLength(value)), Buffer.from(value)]);
  if (Buffer.isBuffer(value)) return Buffer.concat([head(2, value.length), value]);
  if (Array.isArray(value)) return Buffer.concat([head(4, value.length), ...value.map(cbor)]);
  const entries = value instanceof Map ? [...value.entries()] : Object.entries(value);
  return Buffer.concat([head(5, entries.length), ...entries.flatMap(([k, v]) => [cbor(k), cbor(v)])]);
}

const b64url = (bytes: Buffer) => bytes.toString('base64url');
const sha256 = (data: Buffer | string) => createHash('sha256').update(data).digest();

export interface CeremonyOverrides {
  origin?: string;
  rpId?: string;
  /** The user-verified flag; default true. */
  userVerified?: boolean;
  /** The signature counter to report; default the next one. */
  counter?: number;
  /** Sign for another challenge than the one given. */
  challenge?: string;
  /** Claim another credential id than this authenticator's. */
  credentialId?: string;
}

export class SoftwareAuthenticator {
  readonly credentialId = randomBytes(16);
  counter = 0;
  private readonly privateKey: KeyObject;
  private readonly publicKey: KeyObject;

  constructor(
    readonly origin: string,
    readonly rpId: string,
    options: { counts?: boolean } = {},
  ) {
    const pair = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    this.privateKey = pair.privateKey;
    this.publicKey = pair.publicKey;
    this.counts = options.counts ?? true;
  }

  private readonly counts: boolean;

  get id(): string {
    return b64url(this.credentialId);
  }

  private coseKey(): Buffer {
    const jwk = this.publicKey.export({ format: 'jwk' });
    return cbor(
      new Map<Cbor, Cbor>([
        [1, 2],
        [3, -7],
        [-1, 1],
        [-2, Buffer.from(jwk.x as string, 'base64url')],
        [-3, Buffer.from(jwk.y as string, 'base64url')],
      ]),
    );
  }

  private authData(rpId: string, flags: number, counter: number, attested?: Buffer): Buffer {
    const count = Buffer.alloc(4);
    count.writeUInt32BE(counter);
    return Buffer.concat([sha256(rpId), Buffer.from([flags]), count, ...(attested ? [attested] : [])]);
  }

  private clientData(type: string, challenge: string, origin: string): Buffer {
    return Buffer.from(JSON.stringify({ type, challenge, origin, crossOrigin: false }));
  }

  /** This key as the app would have stored it after a registration. */
  stored(name = 'Test laptop') {
    return {
      credentialId: this.id,
      publicKey: b64url(this.coseKey()),
      counter: this.counter,
      transports: ['internal'],
      name,
      createdAt: new Date(),
      lastUsedAt: null,
    };
  }

  /** This key for Chromium's virtual authenticator (`WebAuthn.addCredential`): the browser then signs with it. */
  forBrowser(rpId = this.rpId) {
    const privateKey = this.privateKey.export({ format: 'der', type: 'pkcs8' }).toString('base64');
    return { credentialId: this.credentialId.toString('base64'), isResidentCredential: false, rpId, privateKey, signCount: this.counter };
  }

  /** The `startRegistration()` answer to these options. */
  register(options: { challenge: string }, o: CeremonyOverrides = {}) {
    const idLength = Buffer.alloc(2);
    idLength.writeUInt16BE(this.credentialId.length);
    const attested = Buffer.concat([Buffer.alloc(16), idLength, this.credentialId, this.coseKey()]);
    const flags = 0x41 | (o.userVerified === false ? 0 : 0x04);
    const authData = this.authData(o.rpId ?? this.rpId, flags, o.counter ?? this.counter, attested);
    return {
      id: this.id,
      rawId: this.id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: {
        clientDataJSON: b64url(this.clientData('webauthn.create', o.challenge ?? options.challenge, o.origin ?? this.origin)),
        attestationObject: b64url(cbor({ fmt: 'none', attStmt: {}, authData })),
        transports: ['internal'],
      },
    };
  }

  /** The `startAuthentication()` answer to these options; each call moves the counter on (unless told otherwise). */
  assert(options: { challenge: string }, o: CeremonyOverrides = {}) {
    if (o.counter === undefined && this.counts) this.counter += 1;
    const flags = 0x01 | (o.userVerified === false ? 0 : 0x04);
    const authData = this.authData(o.rpId ?? this.rpId, flags, o.counter ?? this.counter);
    const clientDataJSON = this.clientData('webauthn.get', o.challenge ?? options.challenge, o.origin ?? this.origin);
    const signature = sign('sha256', Buffer.concat([authData, sha256(clientDataJSON)]), this.privateKey);
    const id = o.credentialId ?? this.id;
    return {
      id,
      rawId: id,
      type: 'public-key',
      clientExtensionResults: {},
      authenticatorAttachment: 'platform',
      response: { clientDataJSON: b64url(clientDataJSON), authenticatorData: b64url(authData), signature: b64url(signature) },
    };
  }
}
