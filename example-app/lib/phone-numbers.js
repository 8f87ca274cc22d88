// Phone numbers as the app stores them: valid for libphonenumber-js and written in E.164 (+12015550100).
'use strict';

const { parsePhoneNumberFromString } = require('libphonenumber-js');

/**
 * True for a valid number already in E.164 form; anything else (national formats, spaces, +1555…) is refused.
 * @param {unknown} value
 * @returns {value is string}
 */
function isE164PhoneNumber(value) {
  if (typeof value !== 'string' || !/^\+[1-9]\d{6,14}$/.test(value)) return false;
  const parsed = parsePhoneNumberFromString(value);
  return Boolean(parsed && parsed.isValid() && parsed.number === value);
}

module.exports = { isE164PhoneNumber };
