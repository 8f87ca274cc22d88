// The action a step-up code approves (PSD2 dynamic linking): its text goes into the SMS or call, and only that text's verification opens it.
import { createHash } from 'node:crypto';
import type { Request } from 'express';
import type { Channel } from '../bandwidth/types';
import type { MfaConfig } from '../options';
import { MfaError } from '../errors';

/** Bandwidth's limit on `message`, which then still holds `{CODE}` (6 characters) for the code it puts in. */
const MAX_MESSAGE_LENGTH = 2048;
const CODE_PLACEHOLDER_LENGTH = '{CODE}'.length;
/**
 * C0 and C1 controls (a line break could push the code out of a preview), direction overrides and isolates
 * (which can make "Transfer 9000" read as "Transfer 0009"), and braces, which Bandwidth would read as its own
 * placeholders.
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN = /[\u0000-\u001f\u007f-\u009f\u200e\u200f\u202a-\u202e\u2066-\u2069{}]/;

/** The text of the message for this send: the channel's template in the request's language, scope and action filled in. */
export function messageFor(config: MfaConfig, req: Request, channel: Channel, scope: string, action: string | undefined): string {
  const catalogue = config.messages.catalogue(config.locale(req));
  const custom = config.messageTemplate;
  const template =
    action === undefined
      ? (custom ?? catalogue[channel === 'sms' ? 'sms_template' : 'voice_template'])
      : custom?.includes('{ACTION}')
        ? custom
        : catalogue[channel === 'sms' ? 'sms_action_template' : 'voice_action_template'];
  const message = template
    .split('{SCOPE}')
    .join(scope)
    .split('{ACTION}')
    .join(action ?? '');
  if (message.length - CODE_PLACEHOLDER_LENGTH + config.digits > MAX_MESSAGE_LENGTH) throw invalidAction();
  return message;
}

/**
 * The action text the app gave for this request, checked: a non-empty string without control characters or
 * braces that fits every channel's message, in the request's language, with the code.
 */
export function checkedAction(config: MfaConfig, req: Request, scope: string, text: unknown): string {
  if (typeof text !== 'string' || text.trim() === '' || FORBIDDEN.test(text)) throw invalidAction();
  for (const channel of config.channels) messageFor(config, req, channel, scope, text);
  return text;
}

/** What the session keeps of a verified action: its digest, so a long text does not sit in every session read. */
export function actionDigest(text: string): string {
  return createHash('sha256').update(text).digest('base64url');
}

function invalidAction(): MfaError {
  return new MfaError('invalid_action');
}
