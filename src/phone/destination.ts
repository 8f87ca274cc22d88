// Which numbers may get a code: the allowed countries, the kinds of line, then the app's own rule. Checked for enrolment and every send.
import type { Request } from 'express';
import type { Channel } from '../bandwidth/types';
import type { MfaConfig } from '../options';
import { MfaError, serviceUnavailable } from '../errors';
import { countryOf } from './parse';
import { numberTypeOf } from './number-type';
import { LOG_PREFIX } from '../log-prefix';

export async function checkDestination(config: MfaConfig, phoneNumber: string, channel: Channel, req: Request | undefined): Promise<void> {
  const { allowedCountries, allowedTypes, checkDestination: appRule } = config.phoneNumbers;
  // A number whose country cannot be told is not in any allowed list: refused, not guessed.
  if (allowedCountries && !allowedCountries.has(countryOf(phoneNumber) ?? '')) throw new MfaError('destination_not_allowed');
  // Before any Bandwidth call: a premium-rate or toll-free number never costs a send.
  if (!allowedTypes[channel].has(numberTypeOf(phoneNumber))) {
    throw new MfaError(
      'destination_not_allowed',
      {},
      { messageKey: channel === 'sms' ? 'destination_type_sms' : 'destination_type_voice' },
    );
  }
  if (!appRule) return;
  let allowed: unknown;
  try {
    allowed = await appRule(phoneNumber, req);
  } catch (error) {
    config.logger.error(`${LOG_PREFIX}phoneNumbers.checkDestination threw (${(error as Error)?.name ?? 'error'}); the send was refused.`);
    throw serviceUnavailable();
  }
  // Exactly `true`: a rule that answers anything else (undefined from a forgotten return) refuses.
  if (allowed !== true) throw new MfaError('destination_not_allowed');
}
