// A tagged template for HTML: every interpolated value is escaped unless it is already safe HTML.
'use strict';

const ESCAPES = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

class SafeHtml {
  constructor(text) {
    this.text = text;
  }

  toString() {
    return this.text;
  }
}

function escapeHtml(value) {
  return String(value).replace(/[&<>"']/g, (char) => ESCAPES[char]);
}

function render(value) {
  if (value === undefined || value === null || value === false) return '';
  if (value instanceof SafeHtml) return value.text;
  if (Array.isArray(value)) return value.map(render).join('');
  return escapeHtml(value);
}

/** html`<p>${userText}</p>`: values are escaped, nested html`` fragments and arrays of them are kept. */
function html(strings, ...values) {
  let out = strings[0];
  values.forEach((value, i) => {
    out += render(value) + strings[i + 1];
  });
  return new SafeHtml(out);
}

/** HTML built elsewhere and escaped there (the library's challenge page pieces): inserted as is. */
function trustedHtml(text) {
  return new SafeHtml(String(text));
}

module.exports = { html, escapeHtml, trustedHtml };
