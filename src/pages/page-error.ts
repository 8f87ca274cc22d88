// Which `?error=<code>` a page shows, in which words and next to which form: the built-in page's rule, and your own pages'.
import type { Request } from 'express';
import type { MfaConfig } from '../options';
import type { ChallengeState } from '../routes/challenge-state';
import { errorMessageFor } from '../routes/error-message';

/** The sentence for the request's `?error=`, and the form it belongs to. */
export interface PageError {
  text: string;
  /** `code`: about the code typed in (while one is pending); `recovery`: about the recovery code (`?form=recovery`); `send`: the rest. */
  near: 'code' | 'send' | 'recovery';
}

/** Errors about the code typed in; the others are about sending. */
const CODE_ERRORS = new Set(['invalid_code', 'challenge_expired', 'no_pending_challenge', 'invalid_request']);
/**
 * Said by the page's own state instead: a lockout by its sentence (with the wait as it stands now), a
 * resend refused for the cooldown by the countdown beside the button (live with the script, and stale
 * once the wait is over).
 */
const STATE_ERRORS = new Set(['locked_out', 'account_locked', 'resend_cooldown', 'second_factor_required']);
/** Set by `recoveryRoute({ errorPath: '<challengePath>?form=recovery' })`: the error is about the recovery code typed in. */
const RECOVERY_FORM = 'recovery';

/** Only our own codes, through the catalogue: query text is never echoed. Nothing during a lockout, which says it all. */
export function pageErrorFor(config: MfaConfig, req: Request, state: ChallengeState): PageError | undefined {
  const code = req.query?.error;
  if (state.lockedOutForSeconds > 0 || typeof code !== 'string' || STATE_ERRORS.has(code)) return undefined;
  const text = errorMessageFor(config, req, code, req.query?.wait);
  if (text === undefined) return undefined;
  if (req.query?.form === RECOVERY_FORM) {
    // The catalogue's sentences for these speak of the code we sent, not of the one the user saved.
    const own = code === 'invalid_code' ? 'page_recovery_invalid' : code === 'invalid_request' ? 'invalid_recovery_code_format' : undefined;
    return { text: own ? config.messages.render(config.locale(req), own, {}) : text, near: 'recovery' };
  }
  return { text, near: CODE_ERRORS.has(code) && state.pending ? 'code' : 'send' };
}
