// The middleware, routes and page helpers, written once: an instance binds them to its configuration, the module to the request's.
import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { ConfigBinding } from './routes/config-source';
import { refuseRequestAsOptions } from './routes/config-source';
import { guardFor, type RequireSecondFactorOptions } from './routes/require';
import { errorHandlerFor } from './routes/error-handler';
import { challengeState, type ChallengeState } from './routes/challenge-state';
import { errorMessageFor } from './routes/error-message';
import { routeBuilder, type RouteName } from './routes/factories';
import type { RouteOptions } from './routes/route-options';
import { takeNewRecoveryCodes } from './routes/recovery';
import { takeTurnsFor } from './routes/take-turns';
import { rateLimitFor, type SendRateLimitOptions } from './rate-limit';
import { challengePageFor, type ChallengePageOptions } from './pages/challenge-page';
import { pageErrorFor, type PageError } from './pages/page-error';

/**
 * What `createMfa(options)` gives bound to its configuration, and what the package exports at module level
 * (`mfa.sendCodeRoute()`...) finding the configuration `app.use(mfa.middleware(options))` attached to the
 * request: there, a request without it is refused with 500 `not_configured`, never let through. Options are
 * checked when the handler is built (a `TypeError` at start-up); a factory mounted without its parentheses
 * fails the request at once with a message saying to call it.
 */
export interface MfaHandlers {
  /**
   * Guards a route: a signed-in user with a verification of this scope (fresh enough, by an allowed method)
   * passes; others are sent to sign in or to `challengePath` (browsers), or answered 401 (JSON).
   */
  requireSecondFactor: (options?: RequireSecondFactorOptions) => RequestHandler;
  /** `POST { channel?, scope?, returnTo? }`: sends a code to the signed-in user's number. */
  sendCodeRoute: (options?: RouteOptions) => RequestHandler;
  /** `POST { code, rememberDevice? }`: checks the code and verifies the session under a new id. */
  verifyCodeRoute: (options?: RouteOptions) => RequestHandler;
  /** `POST { phoneNumber, channel? }`: a code to the number the user wants on record (needs the `enrolment` option). */
  enrolSendRoute: (options?: RouteOptions) => RequestHandler;
  /**
   * `POST { code }`: saves the candidate number once its code is right. The session counts as verified (a user
   * who just proved the phone is not asked again) under a new id; after a first enrolment with recovery codes
   * on and none left, a new set comes back once (JSON `recoveryCodes`; browsers go to `recoveryCodesPath`).
   */
  enrolVerifyRoute: (options?: RouteOptions) => RequestHandler;
  /** `POST { returnTo? }`: removes the number on record, with a fresh second factor. */
  removePhoneRoute: (options?: RouteOptions) => RequestHandler;
  /**
   * `POST { recoveryCode }`: signs in with a recovery code in place of the phone (needs the `recoveryCodes`
   * option), a verification of the login scope under a new id; answers the codes left. A used code means the
   * set is at risk: a new one waits for this browser at `enrolment.recoveryCodesPath` (JSON:
   * `newRecoveryCodes: true` and that `redirectTo`), and replaces the old set once `takeNewRecoveryCodes` shows it.
   */
  recoveryRoute: (options?: RouteOptions) => RequestHandler;
  /**
   * `POST`: a new set of recovery codes replacing the old one, with a fresh second factor: JSON `recoveryCodes`,
   * or shown once at `recoveryCodesPath`.
   */
  recoveryCodesRoute: (options?: RouteOptions) => RequestHandler;
  /** `POST { returnTo? }` → the options for `startRegistration()` (needs the `passkeys` option and a fresh second factor). */
  passkeyRegistrationOptionsRoute: (options?: RouteOptions) => RequestHandler;
  /**
   * `POST { response, name? }`: checks the new passkey and saves it through `passkeys.savePasskey`
   * → `{ added: true, passkey: { credentialId, name, createdAt } }`.
   */
  passkeyRegistrationVerifyRoute: (options?: RouteOptions) => RequestHandler;
  /** `POST { scope?, returnTo? }` → the options for `startAuthentication()` (the user's passkeys). */
  passkeyAuthenticationOptionsRoute: (options?: RouteOptions) => RequestHandler;
  /**
   * `POST { response }`: checks the assertion and verifies the session (method `passkey`) under a new id
   * → `{ verified: true, redirectTo }`.
   */
  passkeyAuthenticationVerifyRoute: (options?: RouteOptions) => RequestHandler;
  /** `POST { credentialId, returnTo? }`: removes one passkey, with a fresh second factor; forms get a redirect to `returnTo`. */
  removePasskeyRoute: (options?: RouteOptions) => RequestHandler;
  /**
   * Limits send requests per client IP (`req.ip`, so set Express's `trust proxy` to match your proxies),
   * complementing the per-user limits of the core: it slows one address cycling through many accounts.
   * Over the limit it answers like the core does: 429 `send_limit_reached` with `retryAfterSeconds` and
   * `Retry-After`; browsers go to `errorPath` (the page of the form). If Redis fails it refuses with 503
   * `service_unavailable`, like the core.
   *
   * ```ts
   * app.post('/2fa/send', mfa.sendRateLimit({ redis }), mfa.sendCodeRoute());
   * app.post('/2fa/enrol/send', mfa.sendRateLimit({ redis, prefix: 'mfa-enrol-ip:', errorPath: '/2fa/enrol' }), mfa.enrolSendRoute());
   * ```
   *
   * Needs `express-rate-limit` (optional peer dependency), and `rate-limit-redis` with `redis`. Build it once, at start-up.
   */
  sendRateLimit: (options?: SendRateLimitOptions) => RequestHandler;
  /**
   * Mounted before the body parser and the session middleware on the send and verify routes: a send or verify
   * waits here for its turn (`workConcurrency`), before anything of it is read, so a login storm queues here cheaply.
   */
  takeTurns: () => RequestHandler;
  /** Error middleware, mounted last: our errors get their documented answer; a failed session store gets a 503, never a pass. */
  errorHandler: () => ErrorRequestHandler;
  /** What a challenge page needs to render: the pending code, the resend countdown, a lockout and its wait, the code length. */
  getChallengeState: (req: Request) => Promise<ChallengeState>;
  /**
   * The sentence for the `?error=<code>&wait=<seconds>` our redirects carry, in the request's language:
   * "Too many attempts. Try again in 2 minutes." Undefined when the code is not one of ours, so query
   * text is never echoed. Pass `code` and `retryAfterSeconds` yourself to render another one.
   */
  errorMessage: (req: Request, code?: unknown, retryAfterSeconds?: unknown) => string | undefined;
  /**
   * The request's `?error=<code>` as the built-in page shows it, for a page of your own (an enrolment page):
   * the sentence, and the form it belongs to, `code` (about the code typed in, while `state` has one pending),
   * `recovery` (`?form=recovery`) or `send`. Undefined during a lockout, for what the page says from the state
   * instead (the lockout, the resend countdown, "confirm it is you first"), and for anything not one of our codes.
   */
  pageError: (req: Request, state: ChallengeState) => PageError | undefined;
  /**
   * The recovery codes made for this browser, once; undefined after. For the page at `enrolment.recoveryCodesPath`.
   * A set made after a recovery code was used replaces the user's old set now, as it is shown; a failing save
   * is a 503 and the codes stay waiting.
   */
  takeNewRecoveryCodes: (req: Request) => Promise<string[] | undefined>;
  /** The built-in challenge page (GET and HEAD): mount it at `challengePath`. */
  challengePage: (options?: ChallengePageOptions) => RequestHandler;
}

export function handlersOver(binding: ConfigBinding): MfaHandlers {
  const route =
    (name: RouteName) =>
    (...args: unknown[]) =>
      binding.handler(name, routeBuilder(name, args));
  return {
    requireSecondFactor: (options) => {
      refuseRequestAsOptions('requireSecondFactor', options);
      return binding.handler('requireSecondFactor', guardFor(options));
    },
    sendCodeRoute: route('sendCodeRoute'),
    verifyCodeRoute: route('verifyCodeRoute'),
    enrolSendRoute: route('enrolSendRoute'),
    enrolVerifyRoute: route('enrolVerifyRoute'),
    removePhoneRoute: route('removePhoneRoute'),
    recoveryRoute: route('recoveryRoute'),
    recoveryCodesRoute: route('recoveryCodesRoute'),
    passkeyRegistrationOptionsRoute: route('passkeyRegistrationOptionsRoute'),
    passkeyRegistrationVerifyRoute: route('passkeyRegistrationVerifyRoute'),
    passkeyAuthenticationOptionsRoute: route('passkeyAuthenticationOptionsRoute'),
    passkeyAuthenticationVerifyRoute: route('passkeyAuthenticationVerifyRoute'),
    removePasskeyRoute: route('removePasskeyRoute'),
    sendRateLimit: (options) => binding.handler('sendRateLimit', rateLimitFor(options)),
    takeTurns: () => binding.handler('takeTurns', takeTurnsFor),
    errorHandler: (...args: unknown[]) => {
      refuseRequestAsOptions('errorHandler', args[0]);
      return errorHandlerFor(binding.configIfAny);
    },
    getChallengeState: (req) => challengeState(binding.config(req), req),
    errorMessage: (req, code, wait) => errorMessageFor(binding.config(req), req, code, wait),
    pageError: (req, state) => pageErrorFor(binding.config(req), req, state),
    takeNewRecoveryCodes: (req) => takeNewRecoveryCodes(binding.config(req), req),
    challengePage: (options) => binding.handler('challengePage', challengePageFor(options)),
  };
}
