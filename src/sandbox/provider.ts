// A provider for trying the library without a Bandwidth account: it shows each code in the log and checks it from memory.
import { BandwidthError } from '../bandwidth/errors';
import { CodeBook } from '../testing/code-book';
import type { MfaProvider, SendCodeRequest, SendCodeResult, VerifyCodeRequest } from '../bandwidth/types';
import type { MfaLogger } from '../options';
import { maskPhoneNumber } from '../phone/mask';
import { LOG_PREFIX } from '../log-prefix';

/** How the library hands its configured logger to a provider that must show something to the operator. */
export const USE_LOGGER = Symbol('express-bandwidth-mfa.useLogger');

const SANDBOX_LOCKOUT_SECONDS = 60;

export interface SandboxProvider extends MfaProvider {
  /** @internal The library calls it once, when the options are resolved. */
  [USE_LOGGER](logger: MfaLogger): void;
}

/**
 * An `MfaProvider` that sends nothing: each code is written once, at `warn`, through the configured `logger` (the
 * only way to read it), and kept in memory of this process for verify, under Bandwidth's rules (any code of the
 * number and scope within the window; a short 429 after repeated wrong codes). For a first run and demos only:
 * throws a `TypeError` when `NODE_ENV` is `production`, where a code in the log would let anyone who reads it in.
 */
export function sandboxProvider(): SandboxProvider {
  if (process.env.NODE_ENV === 'production') {
    throw new TypeError(
      LOG_PREFIX +
        '`sandboxProvider()` writes every code to the log and sends nothing, so it refuses ' +
        'NODE_ENV=production. Give `bandwidth` your Bandwidth account (`accountId`, `oauth`, `messagingApplicationId`, `from`) instead.',
    );
  }
  // The emulator's own book of codes: one generator and one set of vendor rules for both.
  const book = new CodeBook({ maxWrongAttempts: 10, lockoutMs: SANDBOX_LOCKOUT_SECONDS * 1000 });
  let logger: MfaLogger = console;
  let sent = 0;
  return {
    [USE_LOGGER](configured: MfaLogger): void {
      logger = configured;
    },
    sendCode(request: SendCodeRequest): Promise<SendCodeResult> {
      const code = book.issue(request.to, request.scope, request.digits, Date.now());
      sent += 1;
      // The one place a code is logged on purpose: the sandbox has no phone to deliver it to.
      logger.warn(
        `express-bandwidth-mfa sandbox: code ${code} for ${maskPhoneNumber(request.to)} by ${request.channel} (nothing was sent; not for production).`,
      );
      return Promise.resolve({ id: `sandbox-${request.channel}-${sent}` });
    },
    verifyCode(request: VerifyCodeRequest): Promise<boolean> {
      const outcome = book.verify(request.to, request.scope, request.code, request.expirationTimeInMinutes, Date.now());
      // Answered like Bandwidth's 429, so the sandbox shows the lockout the real provider causes.
      if (outcome === 'rate_limited') {
        return Promise.reject(
          new BandwidthError({
            kind: 'rate_limited',
            status: 429,
            operation: 'verify',
            retryAfterSeconds: SANDBOX_LOCKOUT_SECONDS,
            fromBandwidth: true,
          }),
        );
      }
      return Promise.resolve(outcome === 'valid');
    },
  };
}
