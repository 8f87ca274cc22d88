// Sending a code: checks that protect the user and the bill first, then exactly one provider call.
import { randomBytes } from 'node:crypto';
import type { Channel } from '../bandwidth/types';
import { MfaError } from '../errors';
import { SCOPE_PATTERN } from '../config/templates';
import { countFromStore, fromStore, mfaState, type FlowContext } from './context';
import { refuseIfLockedOut } from './lockout';
import { certainlyNotSent, providerFailure } from './provider-failure';
import { safeReturnTo } from './return-to';

const SEND_WINDOW_SECONDS = 3600;

export interface SendInput {
  channel: Channel;
  /** Requested scope; defaults to what `requireSecondFactor` asked for, or the configured scope. */
  scope?: string;
  returnTo?: string;
}

export interface SendResult {
  channel: Channel;
  maskedPhoneNumber: string;
  expiresInSeconds: number;
  resendAvailableInSeconds: number;
}

/** Reads `{ channel?, scope?, returnTo? }` from an untrusted body; anything malformed is a 400. */
export function parseSendBody(body: unknown): SendInput {
  const fields = (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
  const channel = fields.channel ?? 'sms';
  if (channel !== 'sms' && channel !== 'voice') throw new MfaError('invalid_request', {}, { messageKey: 'invalid_channel' });
  const scope = fields.scope;
  if (scope !== undefined && (typeof scope !== 'string' || !SCOPE_PATTERN.test(scope))) throw new MfaError('invalid_request');
  if (fields.returnTo !== undefined && typeof fields.returnTo !== 'string') throw new MfaError('invalid_request');
  return { channel, scope, returnTo: safeReturnTo(fields.returnTo) };
}

export async function sendCode(ctx: FlowContext, input: SendInput): Promise<SendResult> {
  const { config, keys, user } = ctx;
  const { store } = config;
  const state = mfaState(ctx.session);
  const scope = input.scope ?? state.requested?.scope ?? config.scope;

  await refuseIfLockedOut(ctx);
  // Claimed before the call, atomically: a second send while one is in flight is refused too.
  if (!(await fromStore(config, store.setIfAbsent(keys.cooldown, '1', config.resendCooldownSeconds)))) {
    const cooldown = await fromStore(config, store.get(keys.cooldown));
    throw new MfaError('resend_cooldown', { retryAfterSeconds: secondsLeft(cooldown?.ttlMs, config.resendCooldownSeconds) });
  }
  const sends = await countFromStore(config, store.increment(keys.sends, SEND_WINDOW_SECONDS));
  if (sends > config.maxSendsPerHour) {
    const window = await fromStore(config, store.get(keys.sends));
    throw new MfaError('send_limit_reached', { retryAfterSeconds: secondsLeft(window?.ttlMs, SEND_WINDOW_SECONDS) });
  }

  // A fresh Bandwidth scope per challenge: Bandwidth accepts any recent code of a scope, so this is what
  // makes the code of an earlier send useless once a new one is sent.
  const providerScope = `${scope}-${randomBytes(4).toString('hex')}`;
  const template = config.messageTemplate ?? config.messages.catalogue(config.locale(ctx.req))[input.channel === 'sms' ? 'sms_template' : 'voice_template'];
  try {
    await config.provider.sendCode({
      channel: input.channel,
      to: user.phoneNumber,
      message: template.split('{SCOPE}').join(scope),
      digits: config.digits,
      scope: providerScope,
    });
  } catch (error) {
    if (certainlyNotSent(error)) await fromStore(config, store.delete(keys.cooldown));
    throw await providerFailure(ctx, error, scope);
  }

  const id = randomBytes(16).toString('hex');
  // Replacing the stored id retires the previous challenge; its TTL is the code's life, by the store's clock.
  await fromStore(config, store.set(keys.challenge, id, config.codeTtlSeconds));
  const now = Date.now();
  state.pending = {
    id,
    userId: user.id,
    channel: input.channel,
    maskedPhoneNumber: ctx.maskedPhoneNumber,
    scope,
    providerScope,
    sentAt: now,
    expiresAt: now + config.codeTtlSeconds * 1000,
    returnTo: input.returnTo ?? state.requested?.returnTo,
  };
  config.emit({ type: 'code_sent', userId: user.id, maskedPhoneNumber: ctx.maskedPhoneNumber, channel: input.channel, scope });
  return {
    channel: input.channel,
    maskedPhoneNumber: ctx.maskedPhoneNumber,
    expiresInSeconds: config.codeTtlSeconds,
    resendAvailableInSeconds: config.resendCooldownSeconds,
  };
}

function secondsLeft(ttlMs: number | undefined, fallback: number): number {
  return ttlMs === undefined ? fallback : Math.max(1, Math.ceil(ttlMs / 1000));
}
