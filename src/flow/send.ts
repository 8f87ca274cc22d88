// Sending a code: checks that protect the user and the bill first, then exactly one provider call.
import { randomBytes } from 'node:crypto';
import type { Channel } from '../bandwidth/types';
import { MfaError } from '../errors';
import { SCOPE_PATTERN } from '../config/templates';
import { secondsLeft } from '../stores/ttl';
import type { MfaConfig } from '../options';
import type { SendClaim } from '../stores/types';
import type { PendingChallenge } from '../session-state';
import { checkDestination } from '../phone/destination';
import { brokenStore, fromStore, isStoredValue, mfaState, numberOnRecord, type FlowContext } from './context';
import { lockedError } from './lockout';
import { awayFromWork } from './work-slots';
import { certainlyNotSent, providerBusy, providerFailure } from './provider-failure';
import { budgetRequest, chargeOf, countSend, refundUnsent, type BudgetRequest, type SendCharge } from './send-budget';
import { safeReturnTo } from './return-to';
import { messageFor } from './action';

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
  const fields = fieldsOf(body);
  const channel = fields.channel ?? 'sms';
  if (channel !== 'sms' && channel !== 'voice') throw new MfaError('invalid_request', {}, { messageKey: 'invalid_channel' });
  const scope = fields.scope;
  if (scope !== undefined && (typeof scope !== 'string' || !SCOPE_PATTERN.test(scope))) throw new MfaError('invalid_request');
  if (fields.returnTo !== undefined && typeof fields.returnTo !== 'string') throw new MfaError('invalid_request');
  return { channel, scope, returnTo: safeReturnTo(fields.returnTo) };
}

/** The fields of a parsed body; `req.body` may be undefined, an array or a string. */
export function fieldsOf(body: unknown): Record<string, unknown> {
  return (typeof body === 'object' && body !== null && !Array.isArray(body) ? body : {}) as Record<string, unknown>;
}

/** Where a code goes: the number on record, or for an enrolment the candidate the user typed. */
export interface Destination {
  phoneNumber: string;
  maskedPhoneNumber: string;
  enrolment?: PendingChallenge['enrolment'];
}

/** A login or step-up code: to the number on record, if the app's destination rules still allow it. */
export async function sendCode(ctx: FlowContext, input: SendInput): Promise<SendResult> {
  const phoneNumber = numberOnRecord(ctx);
  await checkDestination(ctx.config, phoneNumber, input.channel, ctx.req);
  return sendTo(ctx, input, { phoneNumber, maskedPhoneNumber: ctx.maskedPhoneNumber as string });
}

export async function sendTo(ctx: FlowContext, input: SendInput, destination: Destination): Promise<SendResult> {
  const { config, keys, user } = ctx;
  // Read only until the code is out: a refused send must not make express-session write the session back.
  const requested = ctx.session.mfa?.requested;
  const scope = input.scope ?? requested?.scope ?? config.scope;
  // The action the guard asked a code for, if this send is for its scope: named in the message, kept with the challenge.
  const action = requested?.scope === scope ? requested.action : undefined;
  const message = messageFor(config, ctx.req, input.channel, scope, action);

  const release = config.providerSlots.tryEnter();
  if (!release) throw providerBusy(config);
  try {
    // Lockout, cooldown and hourly cap in one atomic step: the cooldown is claimed before the call,
    // so a second send while one is in flight is refused too, on every instance. The same step records
    // the new challenge (its TTL is the code's life, by the store's clock), which retires the earlier one:
    // from here on only the code of this send can pass, whatever happens to the send.
    const id = randomBytes(16).toString('hex');
    // Counted against its destination only once the user's own limits let it through, so a refused send does not
    // spend the number's or the buckets' budget. A store off Redis Cluster takes it along in the claim's step.
    const budget = budgetRequest(ctx, destination.phoneNumber);
    const claim = await fromStore(
      config,
      config.store.claimSend(
        { lockout: keys.lockout, cooldown: keys.cooldown, sends: keys.sends, challenge: keys.challenge },
        {
          cooldownSeconds: config.resendCooldownSeconds,
          maxSends: config.maxSendsPerHour,
          windowSeconds: SEND_WINDOW_SECONDS,
          challengeId: id,
          challengeSeconds: config.codeTtlSeconds,
        },
        { keys: budget.keys, limits: budget.limits },
      ),
    );
    if (claim?.claimed !== true) throw refusal(config, claim);
    // Refused by the budget, the user's cooldown is given back (by the store itself when it counted in the claim).
    const charge: SendCharge = claim.budget !== undefined ? chargeOf(ctx, budget, claim.budget) : await countApart(ctx, budget);

    // A fresh Bandwidth scope per challenge: Bandwidth accepts any recent code of a scope, so this is what
    // makes the code of an earlier send useless once a new one is sent.
    const providerScope = `${scope}-${randomBytes(4).toString('hex')}`;
    let sent: unknown;
    try {
      const call = { channel: input.channel, to: destination.phoneNumber, message, digits: config.digits, scope: providerScope };
      sent = await awayFromWork(ctx, () => config.provider.sendCode(call));
    } catch (error) {
      if (certainlyNotSent(error)) {
        await fromStore(config, config.store.delete([keys.cooldown]));
        await refundUnsent(config, charge);
      }
      throw await providerFailure(ctx, error, scope);
    }

    const providerId = (sent as { id?: unknown } | undefined)?.id;
    const now = Date.now();
    mfaState(ctx.session).pending = {
      id,
      userId: user.id,
      channel: input.channel,
      maskedPhoneNumber: destination.maskedPhoneNumber,
      scope,
      providerScope,
      sentAt: now,
      expiresAt: now + config.codeTtlSeconds * 1000,
      returnTo: input.returnTo ?? requested?.returnTo,
      ...(action !== undefined ? { action } : {}),
      ...(charge.buckets.length > 0 ? { budgets: charge.buckets } : {}),
      ...(destination.enrolment ? { enrolment: destination.enrolment } : {}),
    };
    config.emit(
      {
        type: 'code_sent',
        userId: user.id,
        maskedPhoneNumber: destination.maskedPhoneNumber,
        channel: input.channel,
        scope,
        ...(charge.country ? { country: charge.country } : {}),
        ...(typeof providerId === 'string' ? (input.channel === 'sms' ? { messageId: providerId } : { callId: providerId }) : {}),
      },
      ctx.req,
    );
    return {
      channel: input.channel,
      maskedPhoneNumber: destination.maskedPhoneNumber,
      expiresInSeconds: config.codeTtlSeconds,
      resendAvailableInSeconds: config.resendCooldownSeconds,
    };
  } finally {
    release();
  }
}

/** Why the store refused the send, as the answer to give; a claim outside the contract (a broken custom store) fails closed. */
function refusal(config: MfaConfig, claim: SendClaim | undefined): MfaError {
  if (claim?.claimed === false) {
    if (claim.refusal === 'locked_out' && isStoredValue(claim.lockout)) return lockedError(claim.lockout);
    if ((claim.refusal === 'resend_cooldown' || claim.refusal === 'send_limit_reached') && Number.isFinite(claim.ttlMs)) {
      return new MfaError(claim.refusal, { retryAfterSeconds: secondsLeft(claim.ttlMs) });
    }
  }
  return brokenStore(config, 'a send claim outside its contract');
}

/** The budget as a step of its own (a store that did not count it in the claim); refused or failed, the cooldown goes back. */
async function countApart(ctx: FlowContext, budget: BudgetRequest): Promise<SendCharge> {
  try {
    return await countSend(ctx, budget);
  } catch (error) {
    await fromStore(ctx.config, ctx.config.store.delete([ctx.keys.cooldown]));
    throw error;
  }
}
