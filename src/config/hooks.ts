// The app's hooks run inside guards: whatever they throw or answer, a request gets an answer and the process lives.
import type { Request } from 'express';
import type { MfaConfig, MfaEvent, MfaLogger, MfaOptions } from '../options';
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

function nameOf(error: unknown): string {
  return error instanceof Error ? error.name : typeof error;
}

/** `onEvent` may throw or return a promise that rejects: either is logged (without the event) and dropped. */
export function guardedEmit(onEvent: MfaOptions['onEvent'], logger: MfaLogger): (event: Omit<MfaEvent, 'at'>) => void {
  if (!onEvent) return () => undefined;
  const report = onceAMinute(logger);
  const dropped = (error: unknown) => report('onEvent', `express-bandwidth-mfa: onEvent failed (${nameOf(error)}); the event was dropped.`);
  return (event) => {
    try {
      const result: unknown = onEvent({ ...event, at: new Date() } as MfaEvent);
      if (typeof (result as PromiseLike<unknown> | undefined)?.then === 'function') Promise.resolve(result).catch(dropped);
    } catch (error) {
      dropped(error);
    }
  };
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
