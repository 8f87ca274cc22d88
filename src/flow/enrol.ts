// Adding or changing the number on record: a code to the candidate number, and only its right code saves that number.
import type { MfaConfig } from '../options';
import type { Channel } from '../bandwidth/types';
import { MfaError } from '../errors';
import { appHook } from '../config/hooks';
import { checkDestination } from '../phone/destination';
import { maskPhoneNumber } from '../phone/mask';
import { parsePhoneNumberInput } from '../phone/parse';
import { revokeAllDevices } from '../trusted-devices/trust';
import { fromStore, type FlowContext } from './context';
import { requireFreshFactor } from './freshness';
import { markFactorReset, requireSignInSinceReset } from './factor-reset';
import { refuseRemovingLastNumber } from '../passkeys/removal';
import { fieldsOf, parseSendBody, sendTo, type SendResult } from './send';
import { parseCode, verifyCode } from './verify';
import { LOG_PREFIX } from '../log-prefix';

export function enrolmentOptions(config: MfaConfig): NonNullable<MfaConfig['enrolment']> {
  if (!config.enrolment) {
    config.logger.error(
      LOG_PREFIX + 'an enrolment route was used without the `enrolment` option (its `savePhoneNumber` hook); the request was refused.',
    );
    throw new MfaError('not_configured');
  }
  return config.enrolment;
}

/**
 * Sends a code to the number in the body. Changing a number already on record needs a fresh second
 * factor first; the candidate must be a valid number the app's destination rules allow; and like every
 * send it counts against the number's cap and the send budgets.
 */
export async function sendToCandidate(ctx: FlowContext, body: unknown): Promise<SendResult> {
  const { config, user } = ctx;
  const enrolment = enrolmentOptions(config);
  const input = parseSendBody(body);
  const phoneNumber = parsePhoneNumberInput(fieldsOf(body).phoneNumber, config.phoneNumbers.defaultCountry);
  const previous = user.phoneNumber;
  if (previous !== null) requireFreshFactor(ctx, enrolment.path);
  else await requireSignInSinceReset(ctx);
  await checkDestination(config, phoneNumber, input.channel, ctx.req);

  return sendTo(
    ctx,
    { ...input, scope: config.scope },
    {
      phoneNumber,
      maskedPhoneNumber: maskPhoneNumber(phoneNumber),
      enrolment: { phoneNumber, previous },
    },
  );
}

export interface EnrolmentOutcome {
  phoneNumber: string;
  previous: string | null;
  scope: string;
  returnTo?: string;
  channel: Channel;
}

/**
 * Checks the code sent to the candidate. Only once it is right and this request alone has consumed the
 * challenge (a verify that loses a race saves nothing): the user's trusted browsers are revoked when a
 * number is replaced, then the app's `savePhoneNumber` saves exactly the number the code went to (from
 * the session, never from this request). A failing hook is a 503 and the challenge is given back.
 */
export async function verifyCandidate(ctx: FlowContext, body: unknown): Promise<EnrolmentOutcome> {
  const { config, user } = ctx;
  const enrolment = enrolmentOptions(config);
  const code = parseCode(body, config.digits);
  const pending = ctx.session.mfa?.pending;
  // The number on record changed since the code was sent (another session): this code proves nothing now.
  if (pending?.enrolment && pending.enrolment.previous !== user.phoneNumber) throw new MfaError('no_pending_challenge');
  if (user.phoneNumber === null) await requireSignInSinceReset(ctx);

  const { challenge } = await verifyCode(ctx, code, {
    purpose: 'enrolment',
    onConsumed: async ({ enrolment: candidate }) => {
      const { phoneNumber, previous } = candidate!;
      if (previous !== null && previous !== phoneNumber) await fromStore(config, revokeAllDevices(config, user.id));
      await appHook(config, 'enrolment.savePhoneNumber', () => enrolment.savePhoneNumber(user.id, phoneNumber, ctx.req));
    },
  });
  const { phoneNumber, previous } = challenge.enrolment!;
  config.emit(
    {
      type: previous === null ? 'phone_enrolled' : 'phone_changed',
      userId: user.id,
      maskedPhoneNumber: maskPhoneNumber(phoneNumber),
      ...(previous === null ? {} : { previousMaskedPhoneNumber: maskPhoneNumber(previous) }),
    },
    ctx.req,
  );
  return { phoneNumber, previous, scope: challenge.scope, returnTo: challenge.returnTo, channel: challenge.channel };
}

/**
 * Removes the number on record (with a fresh second factor): the user has none until they enrol again,
 * from a session signed in after this one.
 */
export async function removeNumber(ctx: FlowContext): Promise<void> {
  const { config, user } = ctx;
  const enrolment = enrolmentOptions(config);
  const previous = user.phoneNumber;
  if (previous === null) throw new MfaError('enrolment_required');
  requireFreshFactor(ctx, enrolment.path);
  await refuseRemovingLastNumber(ctx);
  // Marked first: from now on no session signed in before can enrol, even if the removal below then fails.
  await fromStore(config, markFactorReset(config, user.id));
  await fromStore(config, revokeAllDevices(config, user.id));
  await appHook(config, 'enrolment.savePhoneNumber', () => enrolment.savePhoneNumber(user.id, null, ctx.req));
  config.emit({ type: 'phone_removed', userId: user.id, previousMaskedPhoneNumber: maskPhoneNumber(previous) }, ctx.req);
}
