// A tagged template for HTML: every interpolated value is escaped unless it is already safe HTML.
'use strict';

/** @type {Record<string, string>} */
const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

class SafeHtml {
  /** @param {string} text */
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

/** @param {unknown} value */
function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char] ?? char);
}

/**
 * @param {unknown} value
 * @returns {string}
 */
function render(value) {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** @typedef {SafeHtml} Html  an html`` fragment: HTML that is safe to insert as it is */

/**
 * html`<p>${userText}</p>`: values are escaped, nested html`` fragments and arrays of them are kept.
 * @param {TemplateStringsArray} strings
 * @param {...unknown} values
 */
function html(strings, ...values) {
  // A tagged template has one more string than values, so the two indexes below always exist.
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += render(value) + (strings[i + 1] ?? '');
  });
  return new SafeHtml(out);
}

/**
 * HTML built elsewhere and escaped there (the library's challenge page pieces): inserted as is.
 * @param {string} text
 */
function trustedHtml(text) {
  return new SafeHtml(String(text));
}

module.exports = { html, escapeHtml, trustedHtml };
