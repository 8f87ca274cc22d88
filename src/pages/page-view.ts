// Everything the page's sections read, worked out once per request: sentences, the error and where it goes, the forms' targets.
import type { Request } from 'express';
import type { Channel } from '../bandwidth/types';
import type { MfaConfig } from '../options';
import type { ChallengeState } from '../routes/challenge-state';
import type { MessageCatalogue, MessageKey } from '../messages';
import { pluralForm, type MessageParams } from '../messages/catalogue';
import { MfaError } from '../errors';
import { errorMessageFor } from '../routes/error-message';
import type { PageSettings } from './page-options';
import { pageErrorFor, type PageError } from './page-error';
import { LOG_PREFIX } from '../log-prefix';

export interface PageView {
  req: Request;
  config: MfaConfig;
  state: ChallengeState;
  /** The catalogue's language, for `<html lang>` and the countdown's plural rules. */
  lang: string;
  title: string;
  t(key: MessageKey, params?: MessageParams): string;
  /** "2 minutes", rounded up, in the page's language. */
  duration(seconds: number): string;
  catalogue: MessageCatalogue;
  csrf?: { field: string; token: string };
  /** The sentence for `?error=<code>`, next to the code field, the send button or the recovery-code field. */
  error?: PageError;
  /** Why a code is asked now: the app's `reason`, or the library's "confirm it is you first" after a redirect. */
  reason?: string;
  /** "We sent a code by text message to …" after a send. */
  sent?: string;
  channels: readonly Channel[];
  /** "Trust this browser for N days" is offered when above 0 (the login challenge only). */
  trustDays: number;
  locked: boolean;
  sendPath: string;
  verifyPath: string;
  /** Where the lockout's "Check again" leads. */
  checkAgainPath: string;
  accountPath?: string;
  /** Set when the page offers "Use a passkey": the user has one and is not locked out. */
  passkey?: { optionsPath: string; verifyPath: string };
  /** False when the route asked for a method codes are not (a phishing-resistant route): no code forms then. */
  codeAllowed: boolean;
  /** Set when the page offers a recovery code in place of the phone: the login challenge only, with recovery codes on. */
  recovery?: { path: string; left: number };
  signOut?: { path: string; method: 'GET' | 'POST' };
}

export function buildView(
  config: MfaConfig,
  req: Request,
  state: ChallengeState,
  settings: PageSettings,
  csrfToken: string | undefined,
): PageView {
  const locale = config.locale(req);
  const catalogue = config.messages.catalogue(locale);
  const lang = languageOf(config, locale);
  const locked = state.lockedOutForSeconds > 0;
  const scope = state.pending?.scope ?? state.scope;
  const t = (key: MessageKey, params: MessageParams = {}) => config.messages.render(locale, key, params);
  // No number on record (a passkey-only user), or a route that takes no code: the code forms would lead nowhere.
  const codeAllowed = state.enrolled !== false && (!state.methods || state.methods.includes('sms') || state.methods.includes('voice'));
  const passkey =
    config.passkeys && (state.passkeys ?? 0) > 0 && !locked
      ? {
          optionsPath: settings.passkeyOptionsPath ?? `${config.challengePath}/passkeys/auth/options`,
          verifyPath: settings.passkeyVerifyPath ?? `${config.challengePath}/passkeys/auth/verify`,
        }
      : undefined;
  return {
    req,
    config,
    state,
    lang,
    title: titleOf(config, settings, state, req, t, locked, scope !== config.scope),
    t,
    duration: (seconds) => config.messages.duration(locale, seconds),
    catalogue,
    csrf: csrfToken ? { field: settings.csrfField, token: csrfToken } : undefined,
    error: pageErrorFor(config, req, state),
    sent: sentNotice(req, state, t),
    channels: settings.channels ?? config.channels,
    trustDays: config.trustedDevices && scope === config.scope ? config.trustedDevices.days : 0,
    locked,
    sendPath: settings.sendPath ?? `${config.challengePath}/send`,
    verifyPath: settings.verifyPath ?? `${config.challengePath}/verify`,
    checkAgainPath: settings.checkAgainPath ?? config.challengePath,
    accountPath: settings.accountPath,
    passkey,
    codeAllowed,
    recovery: recoveryOf(config, settings, state, codeAllowed && !locked && scope === config.scope),
    signOut: settings.signOut,
    reason: reasonOf(config, settings, state, req),
  };
}

/** A recovery code stands in for the sign-in code only, never for a step-up; none while the count is unknown. */
function recoveryOf(config: MfaConfig, settings: PageSettings, state: ChallengeState, offered: boolean): PageView['recovery'] {
  if (!offered || settings.recoveryPath === false || !config.recoveryCodes || state.recoveryCodesLeft === undefined) return undefined;
  return { path: settings.recoveryPath ?? `${config.challengePath}/recovery`, left: state.recoveryCodesLeft };
}

/** "Confirm it is you first" is a step of the flow, not a mistake: said as the reason, never as an error. */
function reasonOf(config: MfaConfig, settings: PageSettings, state: ChallengeState, req: Request): string | undefined {
  if (settings.reason) {
    const chosen: unknown = settings.reason(state, req);
    if (typeof chosen === 'string' && chosen !== '') return chosen;
    if (chosen !== undefined) throw hookMistake(config, '`challengePage.reason(state, req)` must return a string or undefined');
  }
  return req.query?.error === 'second_factor_required' ? errorMessageFor(config, req, 'second_factor_required') : undefined;
}

/** The locale whose catalogue the sentences came from (an unknown one falls back to its language, then English). */
function languageOf(config: MfaConfig, locale: string): string {
  const known = config.messages.locales;
  const wanted = locale.toLowerCase();
  if (known.includes(wanted)) return locale;
  const base = wanted.split('-')[0] ?? '';
  return known.includes(base) ? base : 'en';
}

function titleOf(
  config: MfaConfig,
  settings: PageSettings,
  state: ChallengeState,
  req: Request,
  t: PageView['t'],
  locked: boolean,
  stepUp: boolean,
): string {
  const option = settings.title;
  if (typeof option === 'string') return option;
  if (typeof option === 'function') {
    const chosen: unknown = option(state, req);
    if (typeof chosen === 'string' && chosen !== '') return chosen;
    throw hookMistake(config, '`challengePage.title(state, req)` must return a non-empty string');
  }
  if (locked) return t(state.accountLocked ? 'page_held_title' : 'page_locked_title');
  return t(stepUp ? 'page_title_step_up' : 'page_title');
}

/** A page hook answered nonsense: the operator reads what to fix, the visitor gets `not_configured`. */
export function hookMistake(config: MfaConfig, what: string): MfaError {
  config.logger.error(`${LOG_PREFIX}${what}; the challenge page was not shown.`);
  return new MfaError('not_configured');
}

/** `?sent=sms` after a send: said from the pending challenge itself, never from the query. */
function sentNotice(req: Request, state: ChallengeState, t: PageView['t']): string | undefined {
  const sent = req.query?.sent;
  if ((sent !== 'sms' && sent !== 'voice') || !state.pending) return undefined;
  return t(state.pending.channel === 'voice' ? 'page_sent_voice' : 'page_sent_sms', { phone: state.pending.maskedPhoneNumber });
}

/** "30 days", with the catalogue's plural forms for the page's language. */
export function days(view: PageView, count: number): string {
  return pluralForm(view.lang, view.catalogue.days, count);
}
