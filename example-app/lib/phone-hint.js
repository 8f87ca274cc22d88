// The hint under the phone field: how a number of the default country may be typed, and how any other must be.
'use strict';

const { getExampleNumber } = require('libphonenumber-js');
const examples = require('libphonenumber-js/mobile/examples');

/**
 * "A United States number can be typed as (201) 555-0123. For another country, start with + and its code, like +44 7400 123456."
 * @param {import('libphonenumber-js').CountryCode} defaultCountry
 */
function phoneHint(defaultCountry) {
  const example = getExampleNumber(defaultCountry, examples);
  const name = new Intl.DisplayNames(['en'], { type: 'region' }).of(defaultCountry) ?? defaultCountry;
  const abroad = getExampleNumber(defaultCountry === 'GB' ? 'FR' : 'GB', examples);
  const local = example ? ` can be typed as ${example.formatNational()}` : ' can be typed as you would dial it';
  return `A ${name} number${local}. For another country, start with + and its code, like ${abroad?.formatInternational() ?? '+44 7400 123456'}.`;
}

module.exports = { phoneHint };
