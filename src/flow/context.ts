// Everything one request's flow needs: configuration, the signed-in user, the user's keys, the session.
import type { Request } from 'express';
import type { Session, SessionData } from 'express-session';
import type { MfaConfig, MfaUser } from '../options';
import type { MfaSessionState } from '../session-state';
import type { StoredValue } from '../stores/types';
import { MfaError, serviceUnavailable } from '../errors';
import { maskPhoneNumber } from '../phone/mask';
import { isE164 } from '../phone/e164';
import { onceAMinuteFor } from './warning-bursts';
import { userKeys, type UserKeys } from './keys';
import { LOG_PREFIX } from '../log-prefix';

export interface FlowContext {
  config: MfaConfig;
  req: Request;
  user: MfaUser;
  /** The number on record, masked; undefined while the user has none. */
  maskedPhoneNumber: string | undefined;
  keys: UserKeys;
  session: Session & Partial<SessionData>;
}

/** Reads the signed-in user through the app's `getUser`; null when nobody is signed in. */
export async function loadUser(config: MfaConfig, req: Request): Promise<MfaUser | null> {
  return checkedUser(config, await config.getUser(req));
}

/** What `getUser` answered, checked: a user of the documented shape, or null. Anything else refuses the request. */
export function checkedUser(config: MfaConfig, user: MfaUser | null | undefined): MfaUser | null {
  if (user === null || user === undefined) return null;
  if (
    typeof user.id !== 'string' ||
    user.id === '' ||
    !(user.phoneNumber === null || isE164(user.phoneNumber)) ||
    !isSignInTime(user.signedInAt)
  ) {
    config.logger.error(
      LOG_PREFIX +
        'getUser() must return { id: non-empty string, phoneNumber: E.164 string like +12015550123, or null, signedInAt?: Date or ms (express-session keeps a Date as a string: store Date.now()) } or null; the request was refused.',
    );
    throw new MfaError('not_configured');
  }
  return user;
}

/** What `getUser` may give as `signedInAt`: a valid Date, or ms since the epoch. */
function isSignInTime(value: unknown): boolean {
  if (value === undefined || value === null) return true;
  if (value instanceof Date) return Number.isFinite(value.getTime());
  return typeof value === 'number' && Number.isFinite(value) && value >= 0;
}

export function contextFor(config: MfaConfig, req: Request, user: MfaUser, session: FlowContext['session'] = req.session): FlowContext {
  const maskedPhoneNumber = user.phoneNumber === null ? undefined : maskPhoneNumber(user.phoneNumber);
  return { config, req, user, maskedPhoneNumber, keys: userKeys(user.id), session };
}

/** The number on record; a user without one must enrol first. */
export function numberOnRecord(ctx: FlowContext): string {
  if (ctx.user.phoneNumber === null) throw new MfaError('enrolment_required');
  return ctx.user.phoneNumber;
}

export async function requireUserContext(config: MfaConfig, req: Request): Promise<FlowContext> {
  const session = requireSession(req, config);
  const user = await loadUser(config, req);
  if (!user) throw new MfaError('authentication_required');
  return contextFor(config, req, user, session);
}

export function requireSession(req: Request, config: MfaConfig): Session & Partial<SessionData> {
  // No req.session: express-session is missing or mounted after us, or its store is disconnected.
  // Either way refuse rather than run without state, and tell the operator.
  if (!req.session) {
    // One line a minute: an outage must not flood the logs.
    onceAMinuteFor(config)(
      'missing-session',
      LOG_PREFIX +
        'req.session is missing; mount express-session before the library routes and check that its store is reachable. Requests are refused with 503 meanwhile.',
    );
    throw serviceUnavailable();
  }
  return req.session;
}

export function mfaState(session: Partial<SessionData>): MfaSessionState {
  session.mfa ??= {};
  return session.mfa;
}

/** Store failures fail closed: a 503, never a pass. The store's message is not logged: it may quote keys or arguments. */
export async function fromStore<T>(config: MfaConfig, operation: Promise<T>): Promise<T> {
  try {
    return await operation;
  } catch (error) {
    config.logger.error(
      `${LOG_PREFIX}the shared store failed (${(error as Error)?.name ?? 'error'}${codeOf(error)}); the request was refused.`,
    );
    throw serviceUnavailable();
  }
}

function codeOf(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z_]{1,32}$/.test(code) ? ` ${code}` : '';
}

/** A counter from the store. Anything but a positive whole number (a broken custom store) would compare as "under the limit": refuse instead. */
export async function countFromStore(config: MfaConfig, operation: Promise<number>): Promise<number> {
  const count: unknown = await fromStore(config, operation);
  if (isCount(count)) return count;
  throw brokenStore(config, 'a counter that is not a positive whole number');
}

export function isCount(value: unknown): value is number {
  return Number.isSafeInteger(value) && (value as number) >= 1;
}

export function isStoredValue(value: unknown): value is StoredValue {
  const stored = value as Partial<StoredValue> | null | undefined;
  return typeof stored?.value === 'string' && typeof stored.ttlMs === 'number' && stored.ttlMs >= 0;
}

/** A store that answers something outside its contract (a broken custom store): refuse, and tell the operator. */
export function brokenStore(config: MfaConfig, what: string): MfaError {
  config.logger.error(
    `${LOG_PREFIX}the shared store answered ${what}; the request was refused. Check it with checkStoreContract from express-bandwidth-mfa/testing.`,
  );
  return serviceUnavailable();
}
