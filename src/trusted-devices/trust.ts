// Trusted browsers: remember one after a verification, recognise it at the next login, list and revoke them.
import { createHash, randomBytes } from 'node:crypto';
import type { Request, Response } from 'express';
import type { MfaConfig, MfaUser } from '../options';
import { isMfaError } from '../errors';
import { contextFor, fromStore, type FlowContext } from '../flow/context';
import { userKeys, userTag } from '../flow/keys';
import { budgetSpent, countAttempt, lockAfterFailures } from '../flow/lockout';
import { readClaim, sameText, signClaim, type DeviceClaim } from './cookie-value';
import { signingKeys, signingKeysAfterUnknownKey } from './signing-keys';
import { readCookie } from './read-cookie';
import { mapsOf } from '../stores/maps';
import type { MfaMapStore } from '../stores/types';

const maps = (config: MfaConfig): MfaMapStore => mapsOf(config.store, 'Trusted browsers (`trustedDevices`)');

/** What the store keeps of one trusted browser: never the token itself. */
export interface TrustedDevice {
  deviceId: string;
  createdAt: Date;
  expiresAt: Date;
  /** The browser's User-Agent when it was trusted (shortened), to tell devices apart in a list. */
  userAgent?: string;
}

interface DeviceRecord {
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
  userAgent?: string;
}

/** Sets the cookie and stores the hash of its token. Call after the session was regenerated. */
export async function rememberDevice(ctx: FlowContext, res: Response): Promise<void> {
  const { config, keys, user } = ctx;
  const trust = config.trustedDevices;
  if (!trust) return;
  const ttlSeconds = trust.days * 86_400;
  const deviceId = randomBytes(9).toString('base64url');
  const token = randomBytes(32).toString('base64url');
  const [key] = await fromStore(config, signingKeys(config));
  const now = Date.now();
  const record: DeviceRecord = {
    tokenHash: hashOf(token),
    createdAt: now,
    expiresAt: now + ttlSeconds * 1000,
    userAgent: userAgentOf(ctx.req),
  };
  await fromStore(config, maps(config).mapSet(keys.devices, deviceId, JSON.stringify(record), ttlSeconds));
  const value = signClaim({ user: userTag(user.id), deviceId, token, expiresAt: Math.floor(record.expiresAt / 1000) }, key!);
  res.cookie(cookieName(ctx.req, trust.cookieName), value, cookieOptions(ctx.req, ttlSeconds * 1000));
  config.emit({ type: 'device_trusted', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, deviceId }, ctx.req);
}

/**
 * True when this request carries a valid trusted-device cookie of this user. A forged cookie (one of our
 * keys, a wrong signature) counts as a failed attempt; anything else that is not a valid cookie of this
 * user (another app's, an older format, a retired key, expired, revoked) is simply no trust.
 */
export async function isTrustedDevice(config: MfaConfig, req: Request, res: Response, user: MfaUser): Promise<boolean> {
  const trust = config.trustedDevices;
  if (!trust) return false;
  const raw = readCookie(req, cookieName(req, trust.cookieName));
  if (raw === undefined) return false;
  let claim = readClaim(raw, await fromStore(config, signingKeys(config)));
  if (claim === 'unknown-key') {
    const reread = signingKeysAfterUnknownKey(config);
    claim = reread ? readClaim(raw, await fromStore(config, reread)) : 'absent';
  }
  if (claim === 'forged') {
    res.clearCookie(cookieName(req, trust.cookieName), cookieOptions(req));
    await countForgery(contextFor(config, req, user));
    return false;
  }
  if (typeof claim === 'string' || !(await validClaim(config, claim, user))) return false;
  config.emit(
    {
      type: 'trusted_device_used',
      userId: user.id,
      maskedPhoneNumber: contextFor(config, req, user).maskedPhoneNumber,
      deviceId: claim.deviceId,
    },
    req,
  );
  return true;
}

async function validClaim(config: MfaConfig, claim: DeviceClaim, user: MfaUser): Promise<boolean> {
  if (claim.user !== userTag(user.id) || claim.expiresAt * 1000 <= Date.now()) return false;
  const keys = userKeys(user.id);
  const [lockout, stored] = await fromStore(
    config,
    Promise.all([config.store.get(keys.lockout), maps(config).mapGet(keys.devices, claim.deviceId)]),
  );
  // A locked-out user is never let in by a browser; a revoked browser has no record left.
  if (lockout || stored === null) return false;
  const record = parseRecord(stored);
  return record !== undefined && record.expiresAt > Date.now() && sameText(record.tokenHash, hashOf(claim.token));
}

/** The user's trusted browsers that are still valid, oldest first; expired records are dropped on the way. */
export async function listDevices(config: MfaConfig, userId: string): Promise<TrustedDevice[]> {
  const keys = userKeys(userId);
  const all = await maps(config).mapGetAll(keys.devices);
  const devices: TrustedDevice[] = [];
  for (const [deviceId, value] of Object.entries(all)) {
    const record = parseRecord(value);
    if (!record || record.expiresAt <= Date.now()) {
      await maps(config).mapDelete(keys.devices, deviceId);
      continue;
    }
    devices.push({
      deviceId,
      createdAt: new Date(record.createdAt),
      expiresAt: new Date(record.expiresAt),
      ...(record.userAgent ? { userAgent: record.userAgent } : {}),
    });
  }
  return devices.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime());
}

/**
 * Every browser this user trusted stops being trusted. The records are deleted, not outvoted by a
 * counter: a deleted record cannot come back, so a revocation holds for as long as any of its cookies lives.
 */
export async function revokeAllDevices(config: MfaConfig, userId: string, actor?: string): Promise<void> {
  await config.store.delete([userKeys(userId).devices]);
  config.emit({ type: 'trusted_devices_revoked', userId, ...(actor ? { actor } : {}) });
}

/** One browser, by the device id of its `device_trusted` event or of `listTrustedDevices`. True when it was trusted. */
export async function revokeDevice(config: MfaConfig, userId: string, deviceId: string, actor?: string): Promise<boolean> {
  const existed = await maps(config).mapDelete(userKeys(userId).devices, deviceId);
  if (existed) config.emit({ type: 'trusted_device_revoked', userId, deviceId, ...(actor ? { actor } : {}) });
  return existed;
}

/** A tampered cookie is a guess: counted like a wrong code, but never while the user is already locked out. */
async function countForgery(ctx: FlowContext): Promise<void> {
  try {
    const attempt = await countAttempt(ctx);
    ctx.config.emit(
      { type: 'code_rejected', userId: ctx.user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, reason: 'forged_trusted_device_cookie' },
      ctx.req,
    );
    if (budgetSpent(ctx.config, attempt)) await lockAfterFailures(ctx, attempt.streak);
  } catch (error) {
    // Already locked out (nothing was counted) or just locked: the guard answers as for any untrusted browser.
    if (!isMfaError(error) || (error.code !== 'locked_out' && error.code !== 'account_locked')) throw error;
  }
}

function parseRecord(value: string): DeviceRecord | undefined {
  try {
    const record = JSON.parse(value) as Partial<DeviceRecord>;
    return typeof record.tokenHash === 'string' && typeof record.expiresAt === 'number' && typeof record.createdAt === 'number'
      ? (record as DeviceRecord)
      : undefined;
  } catch {
    return undefined;
  }
}

function hashOf(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

function userAgentOf(req: Request): string | undefined {
  const agent = req.headers['user-agent'];
  return typeof agent === 'string' && agent !== '' ? agent.slice(0, 200) : undefined;
}

/**
 * `__Host-` on HTTPS: the browser then refuses the cookie unless it is Secure, host-only and for `/`, so
 * a sibling subdomain can neither plant one nor shadow ours.
 */
export function cookieName(req: Request, name: string): string {
  return req.secure ? `__Host-${name}` : name;
}

function cookieOptions(req: Request, maxAge?: number) {
  return { httpOnly: true, sameSite: 'lax' as const, secure: req.secure, path: '/', ...(maxAge === undefined ? {} : { maxAge }) };
}
