// What an operator does for a user: unlock, reset the factor, list and revoke trusted browsers. No request needed: a CLI or a job calls these.
import type { MfaConfig } from '../options';
import { appHook } from '../config/hooks';
import { allKeysOf, userKeys } from '../flow/keys';
import { makeRecoveryCodes } from '../flow/recovery';
import { markFactorReset } from '../flow/factor-reset';
import { passkeysOf } from '../passkeys/list';
import { listDevices, revokeAllDevices, revokeDevice, type TrustedDevice } from '../trusted-devices/trust';
import { LOG_PREFIX } from '../log-prefix';

export interface OperatorOptions {
  /** Who did it (an operator's name, "support-cli", a ticket): carried by the audit event. */
  actor?: string;
}

const DEVICE_ID = /^[A-Za-z0-9_-]{1,64}$/;

export function checkUserId(operation: string, userId: unknown): asserts userId is string {
  if (typeof userId !== 'string' || userId === '')
    throw new TypeError(`${LOG_PREFIX}\`${operation}(userId)\` needs the user id (a non-empty string).`);
}

function actorOf(options: OperatorOptions | undefined): { actor?: string } {
  const actor = options?.actor;
  if (actor !== undefined && (typeof actor !== 'string' || actor === '' || actor.length > 200)) {
    throw new TypeError(LOG_PREFIX + '`actor` must be a non-empty string of at most 200 characters naming who acted.');
  }
  return actor === undefined ? {} : { actor };
}

export async function unlockUser(config: MfaConfig, userId: string, options?: OperatorOptions): Promise<void> {
  checkUserId('unlockUser', userId);
  const actor = actorOf(options);
  const keys = userKeys(userId);
  await config.store.delete([keys.lockout, keys.attempts, keys.streak]);
  config.emit({ type: 'user_unlocked', userId, ...actor });
}

export async function listTrustedDevices(config: MfaConfig, userId: string): Promise<TrustedDevice[]> {
  checkUserId('listTrustedDevices', userId);
  return listDevices(config, userId);
}

export async function revokeTrustedDevices(config: MfaConfig, userId: string, options?: OperatorOptions): Promise<void> {
  checkUserId('revokeTrustedDevices', userId);
  await revokeAllDevices(config, userId, actorOf(options).actor);
}

export async function revokeTrustedDevice(
  config: MfaConfig,
  userId: string,
  deviceId: string,
  options?: OperatorOptions,
): Promise<boolean> {
  checkUserId('revokeTrustedDevice', userId);
  if (typeof deviceId !== 'string' || !DEVICE_ID.test(deviceId)) {
    throw new TypeError(
      LOG_PREFIX + '`revokeTrustedDevice(userId, deviceId)` needs a device id from `listTrustedDevices` or a `device_trusted` event.',
    );
  }
  return revokeDevice(config, userId, deviceId, actorOf(options).actor);
}

export async function resetSecondFactor(config: MfaConfig, userId: string, options?: OperatorOptions): Promise<void> {
  checkUserId('resetSecondFactor', userId);
  const actor = actorOf(options);
  await config.store.delete(allKeysOf(userKeys(userId)));
  await markFactorReset(config, userId);
  const { enrolment, recoveryCodes } = config;
  if (enrolment) await appHook(config, 'enrolment.savePhoneNumber', () => enrolment.savePhoneNumber(userId, null, undefined));
  if (recoveryCodes) await appHook(config, 'recoveryCodes.saveRecoveryCodes', () => recoveryCodes.saveRecoveryCodes(userId, []));
  const passkeys = config.passkeys;
  if (passkeys) {
    for (const passkey of await passkeysOf(config, userId)) {
      await appHook(config, 'passkeys.removePasskey', () => passkeys.removePasskey(userId, passkey.credentialId));
      config.emit({ type: 'passkey_removed', userId, credentialId: passkey.credentialId, passkeyName: passkey.name, ...actor });
    }
  }
  config.emit({ type: 'second_factor_reset', userId, ...actor });
}

export async function generateRecoveryCodes(config: MfaConfig, userId: string, options?: OperatorOptions): Promise<string[]> {
  checkUserId('generateRecoveryCodes', userId);
  return makeRecoveryCodes(config, userId, actorOf(options).actor);
}
