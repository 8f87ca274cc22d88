// Phone numbers for the pumping simulation: valid mobile numbers of a country, drawn at random or inside chosen ranges.
const { parsePhoneNumberFromString } = require('libphonenumber-js/max');

/** @typedef {'US' | 'CA' | 'GB' | 'FR'} Country A country of the background traffic. */

/**
 * Shapes of mobile (or mobile-or-landline) numbers, digits after the calling code; `x` is any digit.
 * @type {Record<Country, string[]>}
 */
const SHAPES = {
  US: ['201xxxxxxx', '202xxxxxxx', '212xxxxxxx', '305xxxxxxx', '415xxxxxxx', '512xxxxxxx', '617xxxxxxx', '702xxxxxxx'],
  CA: ['416xxxxxxx', '514xxxxxxx', '604xxxxxxx', '403xxxxxxx', '613xxxxxxx'],
  GB: ['74xxxxxxxx', '75xxxxxxxx', '77xxxxxxxx', '78xxxxxxxx', '79xxxxxxxx'],
  FR: ['6xxxxxxxx', '7xxxxxxxx'],
};

/** @type {Record<Country, string>} */
const CALLING = { US: '1', CA: '1', GB: '44', FR: '33' };
/** @type {Set<import('libphonenumber-js').NumberType>} */
const MOBILE = new Set(['MOBILE', 'FIXED_LINE_OR_MOBILE']);

/**
 * @param {string} shape
 * @param {() => number} random In [0, 1).
 */
function fill(shape, random) {
  return shape.replace(/x/g, () => String(Math.floor(random() * 10)));
}

/**
 * A mobile number of `country` (in SHAPES), or of `callingCode` + `shape` for the attack ranges.
 * @param {() => number} random In [0, 1).
 * @param {{ country: Country, callingCode?: undefined, shape?: undefined } | { country?: undefined, callingCode: string, shape: string }} where
 */
function mobileNumber(random, { country, callingCode, shape }) {
  for (let tries = 0; tries < 500; tries += 1) {
    const shapes = shape ? [shape] : SHAPES[/** @type {Country} */ (country)];
    const number = `+${callingCode ?? CALLING[/** @type {Country} */ (country)]}${fill(/** @type {string} */ (shapes[Math.floor(random() * shapes.length)]), random)}`;
    const parsed = parsePhoneNumberFromString(number);
    if (parsed?.isValid() && MOBILE.has(parsed.getType()) && (!country || parsed.country === country)) return number;
  }
  throw new Error(`no valid mobile number for ${country ?? `+${callingCode} ${shape}`}`);
}

/**
 * Mobile ranges of 30 countries with no background traffic, as the calling code and a shape that validates.
 * @type {[callingCode: string, shape: string][]}
 */
const ABROAD = [
  ['371', '2xxxxxxx'],
  ['225', '07xxxxxxxx'],
  ['234', '80xxxxxxxx'],
  ['252', '61xxxxxxx'],
  ['47', '4xxxxxxx'],
  ['370', '6xxxxxxx'],
  ['372', '5xxxxxxx'],
  ['48', '5xxxxxxxx'],
  ['40', '7xxxxxxxx'],
  ['359', '88xxxxxxx'],
  ['381', '6xxxxxxx'],
  ['380', '67xxxxxxx'],
  ['994', '50xxxxxxx'],
  ['998', '90xxxxxxx'],
  ['992', '91xxxxxxx'],
  ['996', '70xxxxxxx'],
  ['93', '70xxxxxxx'],
  ['92', '30xxxxxxxx'],
  ['880', '17xxxxxxxx'],
  ['94', '77xxxxxxx'],
  ['63', '917xxxxxxx'],
  ['62', '812xxxxxxxx'],
  ['84', '9xxxxxxxx'],
  ['66', '8xxxxxxxx'],
  ['20', '10xxxxxxxx'],
  ['212', '6xxxxxxxx'],
  ['216', '2xxxxxxx'],
  ['233', '24xxxxxxx'],
  ['254', '7xxxxxxxx'],
  ['255', '7xxxxxxxx'],
];

module.exports = { mobileNumber, ABROAD };
