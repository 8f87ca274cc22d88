// Checks the options of the factor's life around the login: phone numbers, enrolment, recovery codes.
import type { Request } from 'express';
import { isSupportedCountry } from 'libphonenumber-js';
import type { EnrolmentOptions, MfaConfig, MfaLogger, MfaUser, PhoneNumberOptions, RecoveryCodesOptions } from '../options';
import { FRESH_FACTOR_SECONDS, describe, fail, integerIn, optionalFunction, pathOption, rejectUnknownKeys, secretsOption } from './checks';
import { resolveAllowedTypes } from './number-types';
import { LOG_PREFIX } from '../log-prefix';

function objectOption(name: string, value: unknown, shape: string): Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    fail(`\`${name}\` must be an object such as ${shape}; got ${describe(value)}.`);
  return value as Record<string, unknown>;
}

function country(name: string, value: unknown): string {
  if (typeof value !== 'string' || !isSupportedCountry(value))
    fail(`\`${name}\` must be an ISO 3166 country code such as "US" or "FR"; got ${describe(value)}.`);
  return value;
}

export function resolvePhoneNumbers(option: PhoneNumberOptions | undefined): MfaConfig['phoneNumbers'] {
  if (option === undefined) return { allowedTypes: resolveAllowedTypes(undefined) };
  const fields = objectOption('phoneNumbers', option, '`{ defaultCountry: "US", allowedCountries: ["US", "CA"] }`');
  rejectUnknownKeys('phoneNumbers.', fields, ['defaultCountry', 'allowedCountries', 'allowedTypes', 'checkDestination']);
  const allowed = fields.allowedCountries;
  if (allowed !== undefined && (!Array.isArray(allowed) || allowed.length === 0)) {
    fail(
      '`phoneNumbers.allowedCountries` must be a non-empty array of ISO country codes such as ["US", "CA"]; leave it out to allow every country.',
    );
  }
  return {
    defaultCountry: fields.defaultCountry === undefined ? undefined : country('phoneNumbers.defaultCountry', fields.defaultCountry),
    allowedCountries:
      allowed === undefined
        ? undefined
        : new Set((allowed as unknown[]).map((code, i) => country(`phoneNumbers.allowedCountries[${i}]`, code))),
    allowedTypes: resolveAllowedTypes(fields.allowedTypes),
    checkDestination: optionalFunction('phoneNumbers.checkDestination', fields.checkDestination),
  };
}

export function resolveEnrolment(option: EnrolmentOptions | undefined): Pick<MfaConfig, 'enrolment' | 'enrolmentRequired'> {
  if (option === undefined) return { enrolment: undefined, enrolmentRequired: () => true };
  const fields = objectOption('enrolment', option, '`{ savePhoneNumber: async (userId, phoneNumber) => ... }`');
  if (fields.maxSendsPerNumberPerHour !== undefined) {
    fail(
      '`enrolment.maxSendsPerNumberPerHour` is gone: use the top-level `maxSendsPerNumberPerHour` (default 5), which counts every code sent to a number, for login, step-up and enrolment alike.',
    );
  }
  rejectUnknownKeys('enrolment.', fields, ['savePhoneNumber', 'required', 'path', 'maxAgeSeconds', 'recoveryCodesPath']);
  const savePhoneNumber = optionalFunction<EnrolmentOptions['savePhoneNumber']>('enrolment.savePhoneNumber', fields.savePhoneNumber);
  if (!savePhoneNumber)
    fail(
      '`enrolment.savePhoneNumber(userId, phoneNumber, req)` is required: it saves a proved number in your user records (null removes it).',
    );
  const required = fields.required ?? true;
  if (typeof required !== 'boolean' && typeof required !== 'function') {
    fail(`\`enrolment.required\` must be true, false, or a function \`(req, user) => boolean\`; got ${describe(required)}.`);
  }
  return {
    enrolment: {
      savePhoneNumber,
      path: pathOption('enrolment.path', fields.path, DEFAULT_ENROLMENT_PATH),
      maxAgeSeconds: integerIn(
        'enrolment.maxAgeSeconds',
        fields.maxAgeSeconds,
        FRESH_FACTOR_SECONDS,
        30,
        86_400,
        'It is how recent a code must be to change the number on record.',
      ),
      recoveryCodesPath: pathOption('enrolment.recoveryCodesPath', fields.recoveryCodesPath, '/2fa/recovery-codes'),
    },
    enrolmentRequired:
      typeof required === 'function'
        ? (req: Request, user: MfaUser) => (required as (req: Request, user: MfaUser) => boolean | Promise<boolean>)(req, user)
        : () => required,
  };
}

/** Where browsers of users without a number are sent, with or without the `enrolment` option. */
export const DEFAULT_ENROLMENT_PATH = '/2fa/enrol';

/** Loggers already told: an app (or a test suite) that builds many instances on one logger hears it once. */
const toldNowhereToEnrol = new WeakSet<MfaLogger>();

/**
 * Without `enrolment`, enrolment is still required, so a user with no number is sent to a path nothing serves (a 404
 * the app never planned): said once at start-up, with what to change.
 */
export function warnIfNowhereToEnrol(option: EnrolmentOptions | undefined, logger: MfaLogger): void {
  if (option !== undefined || toldNowhereToEnrol.has(logger)) return;
  toldNowhereToEnrol.add(logger);
  logger.warn(
    `${LOG_PREFIX}a signed-in user with no phone number on record is sent to ${DEFAULT_ENROLMENT_PATH} (JSON: 403 ` +
      'enrolment_required), and without the `enrolment` option nothing serves that path. Turn on `enrolment` ' +
      '(`{ savePhoneNumber }`, with `enrolSendRoute()` and `enrolVerifyRoute()` and a page at its `path`), or give it ' +
      '`required: false` to let such users through, or make sure `getUser` always returns a `phoneNumber`.',
  );
}

const RECOVERY_HOOKS = ['saveRecoveryCodes', 'consumeRecoveryCode', 'countRecoveryCodes'] as const;

export function resolveRecoveryCodes(option: RecoveryCodesOptions | undefined): MfaConfig['recoveryCodes'] {
  if (option === undefined) return undefined;
  const fields = objectOption('recoveryCodes', option, '`{ secret, saveRecoveryCodes, consumeRecoveryCode, countRecoveryCodes }`');
  rejectUnknownKeys('recoveryCodes.', fields, ['secret', ...RECOVERY_HOOKS]);
  const secrets = secretsOption('recoveryCodes.secret', fields.secret, ' kept outside your database');
  for (const hook of RECOVERY_HOOKS) {
    if (typeof fields[hook] !== 'function') fail(`\`recoveryCodes.${hook}\` is required: ${HOOK_HELP[hook]}`);
  }
  return {
    secrets,
    saveRecoveryCodes: fields.saveRecoveryCodes as RecoveryCodesOptions['saveRecoveryCodes'],
    consumeRecoveryCode: fields.consumeRecoveryCode as RecoveryCodesOptions['consumeRecoveryCode'],
    countRecoveryCodes: fields.countRecoveryCodes as RecoveryCodesOptions['countRecoveryCodes'],
  };
}

const HOOK_HELP: Record<(typeof RECOVERY_HOOKS)[number], string> = {
  saveRecoveryCodes: "`(userId, hashes) => ...` replaces the user's stored hashes with these.",
  consumeRecoveryCode: '`(userId, hash) => boolean` deletes that hash if the user has it, atomically, and says whether it did.',
  countRecoveryCodes: '`(userId) => number` says how many hashes the user has left.',
};
