// The page's passkey script, served as an external file (`?asset=passkey.js`) next to the `@simplewebauthn/browser` bundle.
//
// The passkey card is `hidden` until this runs and finds WebAuthn and the bundle, so without script the
// page is the SMS/voice page it always was. It asks the options route, runs the browser's ceremony,
// posts the answer, and follows `redirectTo`; a refusal shows the server's sentence in the card.

export const PASSKEY_SCRIPT = `'use strict';
(function () {
  var card = document.querySelector('[data-mfa-passkey]');
  if (!card) return;
  var browser = window.SimpleWebAuthnBrowser;
  var button = card.querySelector('button');
  var error = card.querySelector('[data-mfa-passkey-error]');
  if (!button || !error) return;
  if (!browser || !browser.browserSupportsWebAuthn || !browser.browserSupportsWebAuthn()) {
    // A phishing-resistant route has no code to fall back on: say why nothing can be done here.
    if (card.hasAttribute('data-mfa-passkey-only')) { card.hidden = false; button.disabled = true; show(card.getAttribute('data-mfa-unavailable')); }
    return;
  }
  card.hidden = false;

  function show(text) {
    error.textContent = text || '';
    error.hidden = !text;
  }

  function post(url, body) {
    var field = card.getAttribute('data-mfa-csrf-field');
    var token = card.getAttribute('data-mfa-csrf-token');
    if (field && token) body[field] = token;
    return fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(body)
    }).then(function (res) {
      return res.json().catch(function () { return {}; }).then(function (json) {
        if (!res.ok) throw { server: json.message };
        return json;
      });
    });
  }

  button.addEventListener('click', function () {
    button.disabled = true;
    show('');
    post(card.getAttribute('data-mfa-options'), {})
      .then(function (options) { return browser.startAuthentication({ optionsJSON: options }); })
      .then(function (response) { return post(card.getAttribute('data-mfa-verify'), { response: response }); })
      .then(function (result) { window.location.assign(result.redirectTo || '/'); })
      .catch(function (failure) {
        button.disabled = false;
        show((failure && failure.server) || card.getAttribute('data-mfa-failed'));
      });
  });
})();
`;
