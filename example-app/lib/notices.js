// What each security notice says: a subject and a plain-text body from a library event, with masked numbers only.
'use strict';

/**
 * One line per event the library hands `notify` (its NOTIFY_EVENTS); the passkey events are one line each here too.
 * @type {Record<string, string | undefined>}
 */
const SUBJECTS = {
  phone_enrolled: 'A phone number was added to your account',
  phone_changed: 'The phone number of your account was changed',
  phone_removed: 'The phone number of your account was removed',
  recovery_code_used: 'A recovery code was used to sign in to your account',
  recovery_codes_generated: 'New recovery codes were made for your account',
  second_factor_reset: 'The second factor of your account was reset',
  device_trusted: 'A browser now skips the sign-in code on your account',
  passkey_added: 'A passkey was added to your account',
  passkey_removed: 'A passkey was removed from your account',
};

/**
 * The sentence the account page's history and the mail share, from a history row or an event.
 * @param {{ type: string, actor?: string, maskedPhoneNumber?: string, previousMaskedPhoneNumber?: string }} event
 */
function describeEvent(event) {
  switch (event.type) {
    case 'phone_enrolled':
      return `Phone number ${event.maskedPhoneNumber ?? ''} added`.replace(/ {2}/, ' ');
    case 'phone_changed':
      return `Phone number changed from ${event.previousMaskedPhoneNumber ?? 'the old one'} to ${event.maskedPhoneNumber ?? 'a new one'}`;
    case 'phone_removed':
      return `Phone number ${event.previousMaskedPhoneNumber ?? ''} removed`.replace(/ {2}/, ' ');
    case 'recovery_code_used':
      return 'Signed in with a recovery code';
    case 'recovery_codes_generated':
      return 'New recovery codes made (the old ones stopped working)';
    case 'second_factor_reset':
      return `Second factor reset by ${event.actor ?? 'support'}`;
    case 'device_trusted':
      return 'A browser was trusted to skip the sign-in code';
    default:
      return SUBJECTS[event.type] ?? event.type;
  }
}

/**
 * @param {{ type: string, at: Date, ip?: string, userAgent?: string, actor?: string, maskedPhoneNumber?: string, previousMaskedPhoneNumber?: string, recoveryCodesLeft?: number }} event
 * @param {string} username
 * @returns {{ subject: string, text: string }}
 */
function noticeFor(event, username) {
  const lines = [
    `Hello ${username},`,
    '',
    `${describeEvent(event)}.`,
    '',
    `When: ${event.at
      .toISOString()
      .replace('T', ' ')
      .replace(/\.\d+Z$/, ' UTC')}`,
    ...(event.ip ? [`From the address: ${event.ip}`] : []),
    ...(event.userAgent ? [`Browser: ${event.userAgent}`] : []),
    ...(event.recoveryCodesLeft !== undefined ? [`Recovery codes left: ${event.recoveryCodesLeft}`] : []),
    '',
    'If this was you, there is nothing to do. If it was not, sign in, look at "Recent security activity" in your',
    'security settings, and contact support: someone may have your password.',
  ];
  return { subject: SUBJECTS[event.type] ?? 'Security activity on your account', text: lines.join('\n') };
}

module.exports = { noticeFor, describeEvent, SUBJECTS };
