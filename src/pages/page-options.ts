// Options of `challengePage()`, checked once when the handler is built, and the pieces handed to `layout`/`render`.
import type { Request } from 'express';
import type { Channel } from '../bandwidth/types';
import type { ChallengeState } from '../routes/challenge-state';
import { describe, fail, optionalFunction, pathOption, rejectUnknownKeys } from '../config/checks';

export interface ChallengePageOptions {
  /** The channels offered. Default: SMS, and voice when `bandwidth.voiceApplicationId` is set (or with another provider). */
  channels?: Channel[];
  /** Your CSRF token for this request (may be async); both forms carry it in a hidden field. Default: none. */
  csrfToken?: (req: Request) => string | undefined | Promise<string | undefined>;
  /** Name of that hidden field. Default `_csrf`. */
  csrfField?: string;
  /** Title of the page (and its heading), or a function of the state. Default: from the message catalogue. */
  title?: string | ((state: ChallengeState, req: Request) => string);
  /** URL of your stylesheet (a path on this site or an https URL) instead of the built-in one; `false` for none. Default: the built-in styles. */
  stylesheet?: string | false;
  /** Where the send form posts. Default `<challengePath>/send`. */
  sendPath?: string;
  /** Where the code form posts. Default `<challengePath>/verify`. */
  verifyPath?: string;
  /**
   * Where the lockout's "Check again" link leads: the page to load again once the wait is over, when you show
   * this page's lockout on another page of yours (an enrolment page). Default `challengePath`.
   */
  checkAgainPath?: string;
  /** Where the page's script asks for passkey options. Default `<challengePath>/passkeys/auth/options`. */
  passkeyOptionsPath?: string;
  /** Where it posts the passkey's answer. Default `<challengePath>/passkeys/auth/verify`. */
  passkeyVerifyPath?: string;
  /** Wraps the pieces in your own page and returns the whole HTML document. Default: a minimal document. */
  layout?: (pieces: ChallengePagePieces, req: Request) => string | Promise<string>;
  /** Renders the whole page yourself from the state and the pieces; `layout` is then not used. */
  render?: (state: ChallengeState, pieces: ChallengePagePieces, req: Request) => string | Promise<string>;
  /** Your account page, where a stronger factor (a passkey) is added: the notice on what phone codes do not protect against links to it. Default: no link. */
  accountPath?: string;
  /**
   * Where the recovery-code form posts (`recoveryRoute()`), or `false` for no form. Mount that route with
   * `errorPath: '<challengePath>?form=recovery'` so its errors come back to this form. Default
   * `<challengePath>/recovery`, shown at sign-in when `recoveryCodes` is configured.
   */
  recoveryPath?: string | false;
  /** The way out ("Not you? Sign out"): your sign-out path, and `POST` (a form with the CSRF token) or `GET` (a link). Default: none; `method` defaults to `POST`. */
  signOut?: { path: string; method?: 'GET' | 'POST' };
  /** A sentence saying why a code is asked now (say, "To change your phone number, first confirm it is you."), above the forms. Default: none. */
  reason?: (state: ChallengeState, req: Request) => string | undefined;
}

/** One part of the page, in order: `heading`, `signOut`, `notice`, `reason`, `action`, `lockout`, `passkey`, `verify`, `send`, `recovery`, `risk`. */
export interface ChallengePageSection {
  name: string;
  /** Ready HTML, every value in it escaped. */
  html: string;
}

/** What `layout` and `render` get. HTML strings are ready to insert; `title` is plain text (escape it). */
export interface ChallengePagePieces {
  /** The language of the sentences, for `<html lang>`. */
  lang: string;
  title: string;
  /** For `<head>`: the stylesheet link and the scripts (countdown; passkeys when offered), external and deferred: fine under `script-src 'self'`. */
  head: string;
  /** The sections joined, inside `<div class="mfa-challenge">`: put it in your `<main>`. */
  body: string;
  sections: ChallengePageSection[];
  /** The token `csrfToken(req)` gave, for your layout's own forms (sign out). */
  csrfToken?: string;
}

/** The options once checked. */
export interface PageSettings {
  channels?: readonly Channel[];
  csrfToken?: NonNullable<ChallengePageOptions['csrfToken']>;
  csrfField: string;
  title?: ChallengePageOptions['title'];
  /** Undefined: the built-in styles. */
  stylesheet?: string | false;
  sendPath?: string;
  verifyPath?: string;
  checkAgainPath?: string;
  passkeyOptionsPath?: string;
  passkeyVerifyPath?: string;
  layout?: NonNullable<ChallengePageOptions['layout']>;
  render?: NonNullable<ChallengePageOptions['render']>;
  accountPath?: string;
  /** Undefined: `<challengePath>/recovery`. */
  recoveryPath?: string | false;
  signOut?: { path: string; method: 'GET' | 'POST' };
  reason?: NonNullable<ChallengePageOptions['reason']>;
}

const KNOWN = [
  'channels',
  'csrfToken',
  'csrfField',
  'title',
  'stylesheet',
  'sendPath',
  'verifyPath',
  'checkAgainPath',
  'passkeyOptionsPath',
  'passkeyVerifyPath',
  'layout',
  'render',
  'accountPath',
  'recoveryPath',
  'signOut',
  'reason',
] as const;
const FIELD_NAME = /^[A-Za-z0-9_.:[\]-]{1,64}$/;

export function resolvePageOptions(options: unknown): PageSettings {
  if (options === undefined) return { csrfField: '_csrf' };
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`\`challengePage(options)\` takes an object such as \`{ csrfToken: (req) => req.csrfToken() }\`; got ${describe(options)}.`);
  }
  rejectUnknownKeys('challengePage.', options, KNOWN);
  const input = options as ChallengePageOptions;
  return {
    channels: channels(input.channels),
    csrfToken: optionalFunction('challengePage.csrfToken', input.csrfToken),
    csrfField: csrfField(input.csrfField),
    title: title(input.title),
    stylesheet: stylesheet(input.stylesheet),
    sendPath: input.sendPath === undefined ? undefined : pathOption('challengePage.sendPath', input.sendPath, '/2fa/send'),
    verifyPath: input.verifyPath === undefined ? undefined : pathOption('challengePage.verifyPath', input.verifyPath, '/2fa/verify'),
    checkAgainPath:
      input.checkAgainPath === undefined ? undefined : pathOption('challengePage.checkAgainPath', input.checkAgainPath, '/2fa/enrol'),
    passkeyOptionsPath:
      input.passkeyOptionsPath === undefined
        ? undefined
        : pathOption('challengePage.passkeyOptionsPath', input.passkeyOptionsPath, '/2fa/passkeys/auth/options'),
    passkeyVerifyPath:
      input.passkeyVerifyPath === undefined
        ? undefined
        : pathOption('challengePage.passkeyVerifyPath', input.passkeyVerifyPath, '/2fa/passkeys/auth/verify'),
    layout: optionalFunction('challengePage.layout', input.layout),
    render: optionalFunction('challengePage.render', input.render),
    accountPath: input.accountPath === undefined ? undefined : pathOption('challengePage.accountPath', input.accountPath, '/account'),
    recoveryPath:
      input.recoveryPath === undefined || input.recoveryPath === false
        ? input.recoveryPath
        : pathOption('challengePage.recoveryPath', input.recoveryPath, '/2fa/recovery'),
    signOut: signOut(input.signOut),
    reason: optionalFunction('challengePage.reason', input.reason),
  };
}

function signOut(value: unknown): PageSettings['signOut'] {
  if (value === undefined) return undefined;
  const example = "such as `{ path: '/logout', method: 'POST' }`";
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`\`challengePage.signOut\` takes your sign-out path and method, ${example}; got ${describe(value)}.`);
  rejectUnknownKeys('challengePage.signOut.', value, ['path', 'method']);
  const { path, method = 'POST' } = value as { path?: unknown; method?: unknown };
  if (path === undefined) fail(`\`challengePage.signOut.path\` is missing: your sign-out path, ${example}.`);
  if (method !== 'GET' && method !== 'POST')
    fail(
      `\`challengePage.signOut.method\` must be 'POST' (a form that carries the CSRF token) or 'GET' (a link); got ${describe(method)}.`,
    );
  return { path: pathOption('challengePage.signOut.path', path, '/logout'), method };
}

function channels(value: unknown): readonly Channel[] | undefined {
  if (value === undefined) return undefined;
  const valid =
    Array.isArray(value) && value.length > 0 && value.every((c) => c === 'sms' || c === 'voice') && new Set(value).size === value.length;
  if (!valid) fail(`\`challengePage.channels\` must be \`['sms']\`, \`['voice']\` or \`['sms', 'voice']\`; got ${describe(value)}.`);
  return [...(value as Channel[])];
}

function csrfField(value: unknown): string {
  if (value === undefined) return '_csrf';
  if (typeof value !== 'string' || !FIELD_NAME.test(value)) {
    fail(
      `\`challengePage.csrfField\` must be the name your CSRF check reads, 1–64 letters, digits or \`_.-:[]\`, such as "_csrf"; got ${describe(value)}.`,
    );
  }
  return value;
}

function title(value: unknown): PageSettings['title'] {
  if (value === undefined || typeof value === 'function') return value as PageSettings['title'];
  if (typeof value !== 'string' || value.trim() === '') {
    fail(
      `\`challengePage.title\` must be a non-empty string or a function \`(state, req) => string\`; got ${describe(value)}. To translate the default, override \`messages.<locale>.page_title\` instead.`,
    );
  }
  return value;
}

function stylesheet(value: unknown): string | false | undefined {
  if (value === undefined || value === false) return value;
  const ok =
    typeof value === 'string' &&
    ((value.startsWith('/') && !value.startsWith('//')) || /^https:\/\/[^\s]+$/.test(value)) &&
    !/[\s"<>]/.test(value);
  if (!ok)
    fail(
      `\`challengePage.stylesheet\` must be the URL of your CSS, a path on this site such as "/static/app.css" or an https URL, or \`false\` for none; got ${describe(value)}.`,
    );
  return value;
}
