// `createMfa(options)`: one instance owning its configuration, with the middleware, routes and operator tools bound to it.
import type { RequestHandler } from 'express';
import type { MfaConfig, MfaOptions } from './options';
import { resolveOptions } from './config/resolve';
import { warnIfEvictable } from './config/eviction';
import { attachConfig, boundTo, refuseRequestAsOptions } from './routes/config-source';
import { handlersOver, type MfaHandlers } from './mfa-handlers';
import * as operators from './admin/operations';
import type { OperatorOptions } from './admin/operations';
import * as budgets from './admin/send-budgets';
import type { SendBudget, SendBudgetAllowEntry } from './admin/send-budgets';
import type { TrustedDevice } from './trusted-devices/trust';

/** What an operator does, without a request: a CLI or a job builds an instance from the same options and calls these. */
export interface MfaOperators {
  /** Ends a lockout (a hold after `maxConsecutiveFailures` included) and forgets the failures that led to it. */
  unlockUser(userId: string, options?: OperatorOptions): Promise<void>;
  /**
   * The user starts over: lockouts, counters, cooldowns, the pending challenge and every trusted browser are
   * cleared from the store, and your hooks remove the number, the recovery codes and the passkeys. The user
   * enrols again at the next sign-in (with `enrolment.required`); a session signed in before the reset is told
   * to sign in again (`reauthentication_required`) rather than let enrol (see `MfaUser.signedInAt`).
   */
  resetSecondFactor(userId: string, options?: OperatorOptions): Promise<void>;
  /** A new set of recovery codes replacing the old one; show them to the user once. */
  generateRecoveryCodes(userId: string, options?: OperatorOptions): Promise<string[]>;
  /** The user's trusted browsers, for a security page or a support tool. */
  listTrustedDevices(userId: string): Promise<TrustedDevice[]>;
  /** Forgets every trusted browser of the user: each asks for a code at its next sign-in. */
  revokeTrustedDevices(userId: string, options?: OperatorOptions): Promise<void>;
  /** Forgets one trusted browser (an id from `listTrustedDevices` or a `device_trusted` event); true when it was trusted. */
  revokeTrustedDevice(userId: string, deviceId: string, options?: OperatorOptions): Promise<boolean>;
  /**
   * Send-budget buckets over or near their budget (those over first; far ones are not listed), and the ceiling
   * past its warning, with sent and verified counts.
   */
  listSendBudgets(): Promise<SendBudget[]>;
  /** Starts a bucket's counts over (sends flow again at once); true when it had any. */
  resetSendBudget(bucket: string): Promise<boolean>;
  /**
   * Adds a country, number prefix or address/network to the allow-list in the store, honoured by every instance
   * from the next send; returns it canonical. A wrong entry is a `TypeError`.
   */
  allowSendBudget(entry: string, options?: OperatorOptions): Promise<string>;
  /**
   * Removes an entry added with `allowSendBudget`; true when it was there. Entries of `sendBudgets.allow` stay
   * until the options change.
   */
  disallowSendBudget(entry: string): Promise<boolean>;
  /** The allow-list: entries from `sendBudgets.allow` and those added at run time. */
  listSendBudgetAllowList(): Promise<SendBudgetAllowEntry[]>;
}

export interface Mfa extends MfaHandlers, MfaOperators {
  /** Optional with an instance: attaches it to every request, for the module-level `errorMessage(req)`, `sendCodeRoute()`... */
  middleware(): RequestHandler;
}

export function createMfa(options: MfaOptions): Mfa {
  refuseRequestAsOptions('createMfa', options);
  const config = resolveOptions(options);
  warnIfEvictable(config);
  return {
    middleware: (...args: unknown[]) => {
      refuseRequestAsOptions('middleware', args[0]);
      return function bandwidthMfa(req, _res, next): void {
        attachConfig(req, config);
        next();
      };
    },
    ...handlersOver(boundTo(config)),
    ...operatorsOf(config),
  };
}

function operatorsOf(config: MfaConfig): MfaOperators {
  return {
    unlockUser: (userId, opts) => operators.unlockUser(config, userId, opts),
    resetSecondFactor: (userId, opts) => operators.resetSecondFactor(config, userId, opts),
    generateRecoveryCodes: (userId, opts) => operators.generateRecoveryCodes(config, userId, opts),
    listTrustedDevices: (userId) => operators.listTrustedDevices(config, userId),
    revokeTrustedDevices: (userId, opts) => operators.revokeTrustedDevices(config, userId, opts),
    revokeTrustedDevice: (userId, deviceId, opts) => operators.revokeTrustedDevice(config, userId, deviceId, opts),
    listSendBudgets: () => budgets.listSendBudgets(config),
    resetSendBudget: (bucket) => budgets.resetSendBudget(config, bucket),
    allowSendBudget: (entry, opts) => budgets.allowSendBudget(config, entry, opts),
    disallowSendBudget: (entry) => budgets.disallowSendBudget(config, entry),
    listSendBudgetAllowList: () => budgets.listSendBudgetAllowList(config),
  };
}
