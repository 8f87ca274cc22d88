// Adding a passkey on /account (signing in with one is the library's challenge page). Uses the SimpleWebAuthn browser bundle.
'use strict';

(function () {
  var browser = window.SimpleWebAuthnBrowser;
  var supported = Boolean(browser && browser.browserSupportsWebAuthn && browser.browserSupportsWebAuthn());

  function post(url, body) {
    return window
      .fetch(url, {
        method: 'POST',
        credentials: 'same-origin',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
        body: JSON.stringify(body),
      })
      .then(function (res) {
        return res
          .json()
          .catch(function () {
            return {};
          })
          .then(function (json) {
            if (!res.ok) throw { server: json.message, code: json.error };
            return json;
          });
      });
  }

  function say(node, text) {
    node.textContent = text || '';
    node.hidden = !text;
  }

  // Cancelling the browser's prompt is not an error worth a red sentence of the server's; say it plainly.
  function failureText(failure, fallback) {
    return (failure && failure.server) || fallback;
  }

  function ceremony(node, run) {
    var button = node.querySelector('button[data-passkey-start]');
    var error = node.querySelector('[data-passkey-error]');
    if (!button || !error) return;
    if (!supported) {
      var unsupported = node.getAttribute('data-unsupported');
      if (unsupported) {
        node.hidden = false;
        button.disabled = true;
        say(error, unsupported);
      }
      return;
    }
    node.hidden = false;
    var start = function (event) {
      if (event) event.preventDefault();
      button.disabled = true;
      say(error, '');
      run()
        .then(function (next) {
          window.location.assign(next);
        })
        .catch(function (failure) {
          // The code this session entered is too old for this: the challenge page asks for one, then comes back.
          if (failure && failure.code === 'second_factor_required') return window.location.assign('/2fa?error=second_factor_required');
          button.disabled = false;
          say(error, failureText(failure, node.getAttribute('data-failed')));
        });
    };
    if (node.tagName === 'FORM') node.addEventListener('submit', start);
    else button.addEventListener('click', start);
  }

  var register = document.querySelector('[data-passkey-register]');
  if (register) {
    ceremony(register, function () {
      var name = register.querySelector('input[name="name"]');
      return post(register.getAttribute('data-options'), { returnTo: '/account' })
        .then(function (options) {
          return browser.startRegistration({ optionsJSON: options });
        })
        .then(function (response) {
          return post(register.getAttribute('data-verify'), { response: response, name: name ? name.value : '' });
        })
        .then(function () {
          return '/account?passkey=added';
        });
    });
  }
})();
