// Checks `sendBudgets` and `maxSendsPerNumberPerHour` once: ranges, modes, allow-list entries, misspellings.
import type { Request } from 'express';
import type { MfaConfig, MfaLogger, MfaOptions } from '../options';
import type { BucketBudget } from '../stores/types';
import { parseAllowEntry } from '../budgets/allow-list';
import { describe, fail, integerIn, optionalFunction, rejectUnknownKeys } from './checks';
import { onceAMinute } from '../flow/warning-bursts';
import { LOG_PREFIX } from '../log-prefix';

const BUDGET_KEYS = ['unverified', 'perVerified', 'windowSeconds'];

/**
 * Defaults (see docs/toll-fraud.md for how they were chosen): a country may always hold 20 unverified
 * codes an hour and 30 % of what it verified (Authgear's published floor and ratio); a range of 1,000 numbers 5
 * (one user who never gets a code, at `maxSendsPerHour`, does not close it for the others);
 * a client address 10 (Authgear's per-IP floor for a day, here an hour).
 */
export const DEFAULT_BUDGETS = {
  country: { unverified: 20, perVerified: 0.3, windowSeconds: 3600 },
  prefix: { unverified: 5, perVerified: 0.3, windowSeconds: 3600, hiddenDigits: 3 },
  address: { unverified: 10, perVerified: 0.3, windowSeconds: 3600, ipv6PrefixLength: 64 },
  ceiling: { maxSends: 1000, warnAtPercent: 80, windowSeconds: 3600 },
} as const;

function objectOf(name: string, value: unknown, known: string[]): Record<string, unknown> {
  if (value === undefined) return {};
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(`\`${name}\` must be an object; got ${describe(value)}.`);
  rejectUnknownKeys(`${name}.`, value, known);
  return value as Record<string, unknown>;
}

function budget(name: string, fields: Record<string, unknown>, defaults: BucketBudget): BucketBudget {
  const perVerified = fields.perVerified ?? defaults.perVerified;
  if (typeof perVerified !== 'number' || !Number.isFinite(perVerified) || perVerified < 0 || perVerified > 10) {
    fail(
      `\`${name}.perVerified\` must be a number from 0 to 10 (unverified codes allowed per verified one); got ${describe(perVerified)}.`,
    );
  }
  return {
    unverified: integerIn(
      `${name}.unverified`,
      fields.unverified,
      defaults.unverified,
      1,
      1_000_000,
      'It is how many codes nobody entered the bucket may hold in its window.',
    ),
    perVerified,
    windowSeconds: integerIn(`${name}.windowSeconds`, fields.windowSeconds, defaults.windowSeconds, 10, 7 * 86_400),
  };
}

export function resolveSendBudgets(options: MfaOptions, logger: MfaLogger): Pick<MfaConfig, 'sendBudgets' | 'maxSendsPerNumberPerHour'> {
  const fields = objectOf('sendBudgets', options.sendBudgets, [
    'mode',
    'country',
    'prefix',
    'address',
    'ceiling',
    'allow',
    'knownNumberDays',
    'clientAddress',
  ]);
  const mode = fields.mode ?? 'enforce';
  if (mode !== 'enforce' && mode !== 'monitor')
    fail(`\`sendBudgets.mode\` must be "enforce" (refuse past a budget) or "monitor" (count and report only); got ${describe(mode)}.`);
  const prefix = objectOf('sendBudgets.prefix', fields.prefix, [...BUDGET_KEYS, 'hiddenDigits']);
  const address = objectOf('sendBudgets.address', fields.address, [...BUDGET_KEYS, 'ipv6PrefixLength']);
  const ceiling = objectOf('sendBudgets.ceiling', fields.ceiling, ['maxSends', 'warnAtPercent', 'windowSeconds']);
  const ipv6PrefixLength = address.ipv6PrefixLength ?? DEFAULT_BUDGETS.address.ipv6PrefixLength;
  if (ipv6PrefixLength !== 48 && ipv6PrefixLength !== 56 && ipv6PrefixLength !== 64) {
    fail(
      `\`sendBudgets.address.ipv6PrefixLength\` must be 64 (one household or phone), 56 or 48 (a whole site); got ${describe(ipv6PrefixLength)}.`,
    );
  }
  const maxSends = integerIn(
    'sendBudgets.ceiling.maxSends',
    ceiling.maxSends,
    DEFAULT_BUDGETS.ceiling.maxSends,
    1,
    10_000_000,
    'Size it to about three times your busiest hour of codes.',
  );
  const warnAtPercent = integerIn(
    'sendBudgets.ceiling.warnAtPercent',
    ceiling.warnAtPercent,
    DEFAULT_BUDGETS.ceiling.warnAtPercent,
    1,
    100,
  );
  const allow = fields.allow ?? [];
  if (!Array.isArray(allow))
    fail(
      `\`sendBudgets.allow\` must be an array of countries, number prefixes or addresses such as ["US", "+4420", "203.0.113.0/24"]; got ${describe(allow)}.`,
    );
  const entries = allow.map((entry, i) => {
    try {
      return parseAllowEntry(entry);
    } catch (error) {
      fail(`\`sendBudgets.allow[${i}]\`: ${(error as Error).message.replace(LOG_PREFIX, '')} Got ${describe(entry)}.`);
    }
  });
  return {
    maxSendsPerNumberPerHour: integerIn(
      'maxSendsPerNumberPerHour',
      options.maxSendsPerNumberPerHour,
      5,
      1,
      100,
      'It caps the codes one destination number gets an hour, whichever accounts ask.',
    ),
    sendBudgets: {
      mode,
      country: budget('sendBudgets.country', objectOf('sendBudgets.country', fields.country, BUDGET_KEYS), DEFAULT_BUDGETS.country),
      prefix: {
        ...budget('sendBudgets.prefix', prefix, DEFAULT_BUDGETS.prefix),
        hiddenDigits: integerIn(
          'sendBudgets.prefix.hiddenDigits',
          prefix.hiddenDigits,
          DEFAULT_BUDGETS.prefix.hiddenDigits,
          1,
          8,
          'A prefix is the number less that many last digits.',
        ),
      },
      address: { ...budget('sendBudgets.address', address, DEFAULT_BUDGETS.address), ipv6PrefixLength },
      ceiling: {
        maxSends,
        warnAt: Math.max(1, Math.ceil((maxSends * warnAtPercent) / 100)),
        windowSeconds: integerIn(
          'sendBudgets.ceiling.windowSeconds',
          ceiling.windowSeconds,
          DEFAULT_BUDGETS.ceiling.windowSeconds,
          10,
          86_400,
        ),
      },
      allow: entries,
      knownNumberDays: integerIn(
        'sendBudgets.knownNumberDays',
        fields.knownNumberDays,
        30,
        0,
        365,
        'It is how long a number that took a right code skips the buckets; 0 turns it off.',
      ),
      clientAddress: guardedAddress(optionalFunction('sendBudgets.clientAddress', fields.clientAddress), logger),
    },
  };
}

/** The app's way to read the client address, or `req.ip`; a hook that throws is logged and the address is taken as unknown. */
function guardedAddress(read: ((req: Request) => unknown) | undefined, logger: MfaLogger): (req: Request) => unknown {
  if (!read) return (req) => req.ip;
  const report = onceAMinute(logger);
  return (req) => {
    try {
      return read(req);
    } catch (error) {
      report(
        'clientAddress',
        `${LOG_PREFIX}sendBudgets.clientAddress(req) threw (${(error as Error)?.name ?? 'error'}); the send was counted without an address bucket.`,
      );
      return undefined;
    }
  };
}
