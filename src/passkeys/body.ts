// Reads a WebAuthn response from an untrusted body: only the documented fields, each checked, go on to the verifier.
import { MfaError } from '../errors';
import { fieldsOf } from '../flow/send';
import { BASE64URL } from './list';

/** The browser's `PublicKeyCredential` as JSON (what `@simplewebauthn/browser` answers). */
export interface CredentialJSON {
  id: string;
  rawId: string;
  type: 'public-key';
  response: Record<string, string | string[]>;
  clientExtensionResults: Record<string, unknown>;
  authenticatorAttachment?: 'platform' | 'cross-platform';
}

const FIELDS = {
  registration: { required: ['clientDataJSON', 'attestationObject'], optional: ['authenticatorData', 'publicKey'] },
  authentication: { required: ['clientDataJSON', 'authenticatorData', 'signature'], optional: ['userHandle'] },
} as const;

const TRANSPORTS = new Set(['ble', 'cable', 'hybrid', 'internal', 'nfc', 'smart-card', 'usb']);

function malformed(): MfaError {
  return new MfaError('invalid_request');
}

/** `{ response: PublicKeyCredential JSON }`; anything else is a 400 that changes nothing. */
export function parseCredential(body: unknown, kind: keyof typeof FIELDS): CredentialJSON {
  const credential = fieldsOf(fieldsOf(body).response);
  const { id, rawId, type } = credential;
  if (typeof id !== 'string' || !BASE64URL.test(id) || rawId !== id || type !== 'public-key') throw malformed();
  const inner = fieldsOf(credential.response);
  const response: Record<string, string | string[]> = {};
  for (const name of FIELDS[kind].required) {
    const value = inner[name];
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{1,8192}$/.test(value)) throw malformed();
    response[name] = value;
  }
  for (const name of FIELDS[kind].optional) {
    const value = inner[name];
    if (value === undefined || value === null) continue;
    if (typeof value !== 'string' || !/^[A-Za-z0-9_-]{0,8192}$/.test(value)) throw malformed();
    response[name] = value;
  }
  if (kind === 'registration' && inner.transports !== undefined) {
    if (
      !Array.isArray(inner.transports) ||
      inner.transports.length > 8 ||
      !inner.transports.every((t) => typeof t === 'string' && TRANSPORTS.has(t))
    )
      throw malformed();
    response.transports = inner.transports as string[];
  }
  const attachment = credential.authenticatorAttachment;
  if (attachment !== undefined && attachment !== null && attachment !== 'platform' && attachment !== 'cross-platform') throw malformed();
  return {
    id,
    rawId: id,
    type,
    response,
    clientExtensionResults: {},
    ...(typeof attachment === 'string' ? { authenticatorAttachment: attachment } : {}),
  };
}

/** The name the user gives a new passkey: 1–64 printable characters, spaces trimmed. Default "Passkey". */
export function parsePasskeyName(body: unknown): string {
  const value = fieldsOf(body).name;
  if (value === undefined || value === '') return 'Passkey';
  if (typeof value !== 'string') throw malformed();
  const name = value.trim();
  // eslint-disable-next-line no-control-regex -- control characters are exactly what is refused.
  if (name === '' || name.length > 64 || /[\u0000-\u001f\u007f]/.test(name)) throw new MfaError('invalid_request');
  return name;
}

export function parseCredentialId(body: unknown): string {
  const id = fieldsOf(body).credentialId;
  if (typeof id !== 'string' || !BASE64URL.test(id)) throw malformed();
  return id;
}
