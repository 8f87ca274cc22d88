// Trusted browsers: remember one after a verification, recognise it at the next login, revoke them.
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { MfaConfig, MfaUser } from '../options';
import { fromStore, type FlowContext } from '../flow/context';
import { userKeys, userTag } from '../flow/keys';
import { countAttempt, lockUser } from '../flow/lockout';
import { maskPhoneNumber } from '../mask';
import { readClaim, sameText, signClaim } from './cookie-value';
import { signingKeys } from './signing-keys';

/** Sets the cookie and stores the hash of its token. Call after the session was regenerated. */
export async function rememberDevice(ctx: FlowContext, res: Response): Promise<void> {
  const { config, keys, user } = ctx;
  const trust = config.trustedDevices;
  if (!trust) return;
  const ttlSeconds = trust.days * 86_400;
  const deviceId = randomBytes(9).toString('base64url');
  const token = randomBytes(32).toString('base64url');
  const [generation, [key]] = await Promise.all([
    fromStore(config, currentGeneration(config, user.id)),
    fromStore(config, signingKeys(config)),
  ]);
  await fromStore(config, config.store.set(keys.trustedDevice(deviceId), hashOf(token), ttlSeconds));
  const expiresAt = Math.floor(Date.now() / 1000) + ttlSeconds;
  const value = signClaim({ user: userTag(user.id), deviceId, token, generation, expiresAt }, key as string);
  res.cookie(trust.cookieName, value, cookieOptions(ctx.req, ttlSeconds * 1000));
  config.emit({ type: 'device_trusted', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, deviceId });
}

/**
 * True when this request carries a valid trusted-device cookie of this user. A forged cookie counts as a
 * failed attempt; expired, revoked and other users' cookies are ignored. A locked-out user is never trusted.
 */
export async function isTrustedDevice(config: MfaConfig, req: Request, res: Response, user: MfaUser): Promise<boolean> {
  const trust = config.trustedDevices;
  if (!trust) return false;
  const raw = readCookie(req, trust.cookieName);
  if (raw === undefined) return false;
  const keys = userKeys(user.id);
  const claim = readClaim(raw, await fromStore(config, signingKeys(config)));
  if (claim === 'absent') return false;
  if (claim === 'forged') {
    res.clearCookie(trust.cookieName, cookieOptions(req));
    await countForgery(config, req, user);
    return false;
  }
  if (claim.user !== userTag(user.id) || claim.expiresAt * 1000 <= Date.now()) return false;
  const [lockout, generation, stored] = await fromStore(config, Promise.all([
    config.store.get(keys.lockout), config.store.get(keys.trustGeneration), config.store.get(keys.trustedDevice(claim.deviceId)),
  ]));
  if (lockout || Number(generation?.value ?? 0) !== claim.generation) return false;
  if (!stored || !sameText(stored.value, hashOf(claim.token))) return false;
  config.emit({ type: 'trusted_device_used', userId: user.id, maskedPhoneNumber: maskPhoneNumber(user.phoneNumber), deviceId: claim.deviceId });
  return true;
}

/** Every browser this user trusted stops being trusted (after a phone or password change, say). */
export async function revokeUserDevices(config: MfaConfig, userId: string): Promise<void> {
  const ttlSeconds = (config.trustedDevices?.days ?? 365) * 86_400;
  // The generation outlives every cookie made before the bump, so an old generation can never come back.
  await config.store.increment(userKeys(userId).trustGeneration, ttlSeconds);
  config.emit({ type: 'trusted_devices_revoked', userId });
}

/** One browser, by the device id of its `device_trusted` event. */
export async function revokeUserDevice(config: MfaConfig, userId: string, deviceId: string): Promise<void> {
  await config.store.delete(userKeys(userId).trustedDevice(deviceId));
}

async function currentGeneration(config: MfaConfig, userId: string): Promise<number> {
  const stored = await config.store.get(userKeys(userId).trustGeneration);
  return Number(stored?.value ?? 0);
}

async function countForgery(config: MfaConfig, req: Request, user: MfaUser): Promise<void> {
  const ctx: FlowContext = { config, req, user, maskedPhoneNumber: maskPhoneNumber(user.phoneNumber), keys: userKeys(user.id), session: req.session };
  const attempts = await countAttempt(ctx);
  config.emit({ type: 'code_rejected', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, reason: 'forged_trusted_device_cookie' });
  if (attempts >= config.maxAttempts) await lockUser(ctx, config.lockoutSeconds, 'attempts_exhausted');
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function cookieOptions(req: Request, maxAge?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/', ...(maxAge === undefined ? {} : { maxAge }) };
}

/** One cookie from the header, without a cookie-parser dependency. */
export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (typeof header !== 'string') return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    const value = part.slice(eq + 1).trim();
    try {
      return decodeURIComponent(value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value);
    } catch {
      return value;
    }
  }
  return undefined;
}
