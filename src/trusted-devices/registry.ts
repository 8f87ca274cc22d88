// Lets `revokeTrustedDevices(userId)` reach the stores of every `middleware()` the process created.
import type { MfaConfig } from '../options';
import { revokeUserDevice, revokeUserDevices } from './trust';

// Weak: an app that builds middleware() again and again (tests) must not keep every old config alive.
const configs = new Set<WeakRef<MfaConfig>>();

export function registerConfig(config: MfaConfig): void {
  configs.add(new WeakRef(config));
}

/** One config per store: two middlewares on one store revoke once. */
function installed(): MfaConfig[] {
  const byStore = new Map<unknown, MfaConfig>();
  for (const ref of configs) {
    const config = ref.deref();
    if (config === undefined) configs.delete(ref);
    else if (config.trustedDevices) byStore.set(config.store, config);
  }
  if (byStore.size === 0) throw new Error('express-bandwidth-mfa: call `mfa.middleware(options)` (with trusted devices on) before revoking trusted devices.');
  return [...byStore.values()];
}

/** Stops trusting every browser of this user, in every app instance that shares the store. */
export async function revokeTrustedDevices(userId: string): Promise<void> {
  if (typeof userId !== 'string' || userId === '') throw new TypeError('express-bandwidth-mfa: `revokeTrustedDevices(userId)` needs the user id.');
  await Promise.all(installed().map((config) => revokeUserDevices(config, userId)));
}

/** Stops trusting one browser, named by the device id of its `device_trusted` event. */
export async function revokeTrustedDevice(userId: string, deviceId: string): Promise<void> {
  if (typeof userId !== 'string' || userId === '' || typeof deviceId !== 'string' || !/^[A-Za-z0-9_-]{1,64}$/.test(deviceId)) {
    throw new TypeError('express-bandwidth-mfa: `revokeTrustedDevice(userId, deviceId)` needs the user id and a device id from a `device_trusted` event.');
  }
  await Promise.all(installed().map((config) => revokeUserDevice(config, userId, deviceId)));
}
