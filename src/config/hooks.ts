// The app's hooks run inside guards: whatever they throw or answer, a request gets an answer and the process lives.
import type { Request } from 'express';
import { NOTIFY_EVENTS, type MfaConfig, type MfaEvent, type MfaLogger, type MfaOptions } from '../options';
import { serviceUnavailable } from '../errors';
import type { Messages } from '../messages';

/** At most one line a minute per message kind and logger: an outage or a broken hook must not flood the logs. */
export function onceAMinute(logger: MfaLogger): (kind: string, line: string, level?: 'warn' | 'error') => void {
  const last = new Map<string, number>();
  return (kind, line, level = 'error') => {
    const now = Date.now();
    if (now - (last.get(kind) ?? 0) < 60_000) return;
    last.set(kind, now);
    logger[level](line);
  };
}

/** The error's kind only; read from `name`, since an error from another realm (a vm, a worker) is no `instanceof Error`. */
function nameOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  return typeof error === 'object' && error !== null && typeof name === 'string' && /^\w{1,40}$/.test(name) ? name : typeof error;
}

/**
 * `onEvent` (and `notify`, for the events in `NOTIFY_EVENTS`) may throw or return a promise that rejects:
 * either is logged (without the event), once a minute per hook, and dropped. Events emitted during a
 * request carry its client address and user agent.
 */
export function guardedEmit(onEvent: MfaOptions['onEvent'], logger: MfaLogger, notify?: MfaOptions['notify']): MfaConfig['emit'] {
  if (!onEvent && !notify) return () => undefined;
  const report = onceAMinute(logger);
  const call = (hook: (event: MfaEvent) => unknown, name: string, event: MfaEvent) => {
    const dropped = (error: unknown) => report(name, `express-bandwidth-mfa: ${name} failed (${nameOf(error)}); the event was dropped.`);
    try {
      const result: unknown = hook(event);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') Promise.resolve(result).catch(dropped);
    } catch (error) {
      dropped(error);
    }
  };
  return (event, req) => {
    const full = { ...event, ...(req ? clientOf(req) : {}), at: new Date() };
    if (onEvent) call(onEvent, 'onEvent', full);
    if (notify && (NOTIFY_EVENTS as readonly string[]).includes(full.type)) call(notify as (event: MfaEvent) => unknown, 'notify', { ...full });
  };
}

const MAX_USER_AGENT_LENGTH = 256;

/** What a request tells of its client; reading it never throws (a request without a socket has no address). */
function clientOf(req: Request): Pick<MfaEvent, 'ip' | 'userAgent'> {
  try {
    const ip = typeof req.ip === 'string' && req.ip !== '' ? req.ip : undefined;
    const agent = req.headers?.['user-agent'];
    return {
      ...(ip ? { ip } : {}),
      ...(typeof agent === 'string' && agent !== '' ? { userAgent: agent.slice(0, MAX_USER_AGENT_LENGTH) } : {}),
    };
  } catch {
    return {};
  }
}

/** The app's `locale(req)`, or `Accept-Language` when it is absent, throws, or answers something other than a tag. */
export function guardedLocale(pick: MfaOptions['locale'], messages: Messages, logger: MfaLogger): (req: Request) => string {
  if (!pick) return (req) => messages.localeFromRequest(req);
  const report = onceAMinute(logger);
  return (req) => {
    try {
      const locale: unknown = pick(req);
      if (typeof locale === 'string' && /^[A-Za-z]{2,8}(-[A-Za-z0-9]{1,8})*$/.test(locale)) return locale;
      if (locale !== undefined) report('locale-shape', 'express-bandwidth-mfa: locale(req) answered something other than a language tag such as "fr"; Accept-Language was used.', 'warn');
    } catch (error) {
      report('locale-threw', `express-bandwidth-mfa: locale(req) threw (${nameOf(error)}); Accept-Language was used.`);
    }
    return messages.localeFromRequest(req);
  };
}

/**
 * Calls one of the app's storage hooks (`savePhoneNumber`, `consumeRecoveryCode`...). Its failure is the
 * app's storage failing: logged by name (never with its message, which may quote data) and answered 503.
 */
export async function appHook<T>(config: Pick<MfaConfig, 'logger'>, name: string, call: () => T | Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    config.logger.error(`express-bandwidth-mfa: ${name} failed (${nameOf(error)}); the request was refused and nothing was changed by the library.`);
    throw serviceUnavailable();
  }
}
