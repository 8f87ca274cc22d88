// The app's hooks run inside guards: whatever they throw or answer, a request gets an answer and the process lives.
import type { Request } from 'express';
import { NOTIFY_EVENTS, type MfaConfig, type MfaEvent, type MfaLogger, type MfaOptions } from '../options';
import { serviceUnavailable } from '../errors';
import type { Messages } from '../messages';
import { LOG_PREFIX } from '../log-prefix';
import { onceAMinute } from '../flow/warning-bursts';
import { LOCALE_PATTERN } from './checks';

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
    const dropped = (error: unknown) => report(name, `${LOG_PREFIX}${name} failed (${nameOf(error)}); the event was dropped.`);
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
    if (notify && (NOTIFY_EVENTS as readonly string[]).includes(full.type))
      call(notify as (event: MfaEvent) => unknown, 'notify', { ...full });
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
      if (typeof locale === 'string' && LOCALE_PATTERN.test(locale)) return locale;
      if (locale !== undefined)
        report(
          'locale-shape',
          LOG_PREFIX + 'locale(req) answered something other than a language tag such as "fr"; Accept-Language was used.',
          'warn',
        );
    } catch (error) {
      report('locale-threw', `${LOG_PREFIX}locale(req) threw (${nameOf(error)}); Accept-Language was used.`);
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
    config.logger.error(`${LOG_PREFIX}${name} failed (${nameOf(error)}); the request was refused and nothing was changed by the library.`);
    throw serviceUnavailable();
  }
}
