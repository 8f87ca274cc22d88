// The banner of sandbox mode: says no real SMS or call is made, and shows the code the emulator "sent".
'use strict';

const { html } = require('./html');

/** @param {{ code?: string, maskedPhoneNumber?: string }} sent  the last code sent to the signed-in user, if any */
function sandboxBanner(sent = {}) {
  return html`<aside class="sandbox" aria-label="Sandbox mode">
  <p><strong>Sandbox mode.</strong> No Bandwidth account is configured, so no real SMS or call is made.</p>
  ${sent.code ? html`<p>Code “sent” to ${sent.maskedPhoneNumber}: <strong class="sandbox-code" data-testid="sandbox-code">${sent.code}</strong></p>` : ''}
</aside>`;
}

module.exports = { sandboxBanner };
