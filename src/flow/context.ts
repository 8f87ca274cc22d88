// Everything one request's flow needs: configuration, the signed-in user, the user's keys, the session.
import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import type { MfaConfig, MfaUser } from '../options';
import type { MfaSessionState } from '../session-state';
import { MfaError } from '../errors';
import { maskPhoneNumber } from '../mask';
import { userKeys, type UserKeys } from './keys';

export interface FlowContext {
  config: MfaConfig;
  req: Request;
  user: MfaUser;
  maskedPhoneNumber: string;
  keys: UserKeys;
  session: Session & Partial<SessionData>;
}

const E164 = /^\+[1-9]\d{1,14}$/;

/** Reads the signed-in user through the app's `getUser`; null when nobody is signed in. */
export async function loadUser(config: MfaConfig, req: Request): Promise<MfaUser | null> {
  const user = await config.getUser(req);
  if (user === null || user === undefined) return null;
  if (typeof user.id !== 'string' || user.id === '' || typeof user.phoneNumber !== 'string' || !E164.test(user.phoneNumber)) {
    config.logger.error('express-bandwidth-mfa: getUser() must return { id: non-empty string, phoneNumber: E.164 string like +19195551234 } or null; the request was refused.');
    throw new MfaError('not_configured');
  }
  return user;
}

export async function requireUserContext(config: MfaConfig, req: Request): Promise<FlowContext> {
  const session = requireSession(req, config.logger);
  const user = await loadUser(config, req);
  if (!user) throw new MfaError('authentication_required');
  return { config, req, user, maskedPhoneNumber: maskPhoneNumber(user.phoneNumber), keys: userKeys(user.id), session };
}

/** When each logger was last told about a missing session: once a minute is enough during an outage. */
const missingSessionLogged = new WeakMap<object, number>();

export function requireSession(req: Request, logger: MfaConfig['logger'] = console): Session & Partial<SessionData> {
  // No req.session: express-session is missing or mounted after us, or its store is disconnected.
  // Either way refuse rather than run without state, and tell the operator (once a minute at most).
  if (!req.session) {
    if (Date.now() - (missingSessionLogged.get(logger) ?? 0) > 60_000) {
      missingSessionLogged.set(logger, Date.now());
      logger.error('express-bandwidth-mfa: req.session is missing; mount express-session before the library routes and check that its store is reachable. Requests are refused with 503 meanwhile.');
    }
    throw new MfaError('service_unavailable', { retryAfterSeconds: 5 });
  }
  return req.session;
}

export function mfaState(session: Partial<SessionData>): MfaSessionState {
  session.mfa ??= {};
  return session.mfa;
}

/** Store failures fail closed: a 503, never a pass. */
export async function fromStore<T>(config: MfaConfig, operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    config.logger.error(`express-bandwidth-mfa: the shared store failed (${(error as Error)?.message ?? 'unknown error'}); the request was refused.`);
    throw new MfaError('service_unavailable', { retryAfterSeconds: 5 });
  }
}

/** A counter from the store. Anything but a positive whole number (a broken custom store) would compare as "under the limit": refuse instead. */
export async function countFromStore(config: MfaConfig, operation: Promise<number>): Promise<number> {
  const count: unknown = await fromStore(config, operation);
  if (Number.isSafeInteger(count) && (count as number) >= 1) return count as number;
  config.logger.error('express-bandwidth-mfa: the shared store answered a counter that is not a positive whole number; the request was refused.');
  throw new MfaError('service_unavailable', { retryAfterSeconds: 5 });
}
