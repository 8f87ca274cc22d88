// What one `requireSecondFactor()` asks of a verification (age, methods), worked out once at construction.
import type { MfaUser } from '../options';
import type { Verification, VerificationMethod } from '../session-state';
import { describe, fail } from '../config/checks';

export interface MethodOptions {
  phishingResistant?: boolean;
  methods?: VerificationMethod[];
}

/** What one guard asks, resolved at construction. */
export interface Rule {
  maxAgeMs: number | undefined;
  /** The methods that pass; undefined accepts all. */
  allowed: ReadonlySet<VerificationMethod | undefined> | undefined;
}

const METHODS: readonly VerificationMethod[] = ['sms', 'voice', 'recovery_code', 'passkey', 'trusted_device'];
const PHISHING_RESISTANT: readonly VerificationMethod[] = ['passkey'];

/** The methods a guard accepts; undefined accepts all. */
export function allowedMethods(options: MethodOptions): Rule['allowed'] {
  const { phishingResistant, methods } = options;
  if (phishingResistant !== undefined && typeof phishingResistant !== 'boolean')
    fail(`\`requireSecondFactor.phishingResistant\` must be true or false; got ${describe(phishingResistant)}.`);
  if (methods !== undefined && (!Array.isArray(methods) || methods.length === 0 || methods.some((method) => !METHODS.includes(method)))) {
    fail(
      `\`requireSecondFactor.methods\` must be a non-empty array of ${METHODS.map((m) => `"${m}"`).join(', ')}; got ${describe(methods)}.`,
    );
  }
  if (phishingResistant && methods?.some((method) => !PHISHING_RESISTANT.includes(method))) {
    fail(
      '`requireSecondFactor({ phishingResistant: true })` accepts passkeys only; drop the other `methods`, or drop `phishingResistant`.',
    );
  }
  const list = phishingResistant ? PHISHING_RESISTANT : methods;
  return list === undefined ? undefined : new Set(list);
}

/** The verification is this user's, fresh enough and of an accepted method. */
export function satisfies(user: MfaUser | null, verification: Verification | undefined, rule: Rule): verification is Verification {
  // A user without a number passes on a passkey only: a code verification of theirs predates the number's removal.
  return Boolean(
    user &&
    verification?.userId === user.id &&
    (user.phoneNumber !== null || verification.method === 'passkey') &&
    (rule.maxAgeMs === undefined || Date.now() - verification.at <= rule.maxAgeMs) &&
    (rule.allowed === undefined || rule.allowed.has(verification.method)),
  );
}
