// The request bodies Bandwidth accepts, per its OpenAPI schema; anything else is a 400 `{error, requestId}`.

const E164 = /^\+[1-9]\d{1,14}$/;

export interface SendBody {
  to: string;
  from: string;
  applicationId: string;
  scope: string;
  message: string;
  digits: number;
}

export interface VerifyBody {
  to: string;
  scope: string;
  code: string;
  expirationTimeInMinutes: number;
}

export type Checked<T> = { ok: true; value: T } | { ok: false; error: string };

export function checkSendBody(body: Record<string, unknown>): Checked<SendBody> {
  const { to, from, applicationId, scope, message, digits } = body;
  if (to === undefined || to === '') return bad('to number is required');
  if (typeof to !== 'string' || !E164.test(to)) return bad('to number is invalid');
  if (typeof from !== 'string' || from.length > 32 || !E164.test(from)) return bad('from number is invalid');
  if (typeof applicationId !== 'string' || applicationId === '' || applicationId.length > 50) return bad('applicationId is invalid');
  if (scope !== undefined && (typeof scope !== 'string' || scope.length > 25)) return bad('scope must be at most 25 characters');
  if (typeof message !== 'string' || message.length > 2048) return bad('message is required and must be at most 2048 characters');
  if (!message.includes('{CODE}')) return bad('message must contain {CODE}');
  if (typeof digits !== 'number' || !Number.isInteger(digits) || digits < 4 || digits > 8)
    return bad('digits must be an integer from 4 to 8');
  return { ok: true, value: { to, from, applicationId, scope: scope ?? '2FA', message, digits } };
}

export function checkVerifyBody(body: Record<string, unknown>): Checked<VerifyBody> {
  const { to, scope, code, expirationTimeInMinutes: minutes } = body;
  if (typeof to !== 'string' || !E164.test(to)) return bad('to number is invalid');
  if (scope !== undefined && (typeof scope !== 'string' || scope.length > 25)) return bad('scope must be at most 25 characters');
  if (typeof code !== 'string' || code.length < 4 || code.length > 8) return bad('code must be a string of 4 to 8 characters');
  if (typeof minutes !== 'number' || !Number.isFinite(minutes) || minutes < 1 || minutes > 15)
    return bad('expirationTimeInMinutes must be between 1 and 15');
  return { ok: true, value: { to, scope: scope ?? '2FA', code, expirationTimeInMinutes: minutes } };
}

function bad(error: string): { ok: false; error: string } {
  return { ok: false, error };
}
