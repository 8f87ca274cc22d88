// The page's only script, served as an external file (`?asset=challenge.js`) so a CSP with `script-src 'self'` allows it.
//
// Progressive enhancement: without it the page works (the server says the wait and refuses an early
// resend). With it, the resend button stays disabled until the wait is over and the sentence counts
// down in the page's language, from the forms the server wrote into data attributes.

export const COUNTDOWN_SCRIPT = `'use strict';
(function () {
  var lang = document.documentElement.getAttribute('lang') || 'en';
  var rules = null;
  try { rules = new Intl.PluralRules(lang); } catch (error) { rules = null; }

  function plural(forms, count) {
    var category = rules ? rules.select(count) : (count === 1 ? 'one' : 'other');
    var form = forms[category] || forms.other;
    return form.split('{count}').join(String(count));
  }

  // Same rounding as the server: up, so a person never comes back too early.
  function duration(units, seconds) {
    if (seconds < 60) return plural(units.seconds, seconds);
    if (seconds < 3600) return plural(units.minutes, Math.ceil(seconds / 60));
    return plural(units.hours, Math.ceil(seconds / 3600));
  }

  function start(node) {
    var seconds = parseInt(node.getAttribute('data-mfa-countdown'), 10);
    var button = document.getElementById(node.getAttribute('data-mfa-button') || '');
    var template = node.getAttribute('data-mfa-template');
    var done = node.getAttribute('data-mfa-done');
    var units;
    try { units = JSON.parse(node.getAttribute('data-mfa-units') || ''); } catch (error) { return; }
    if (!(seconds > 0) || !button || !template || !done || !units || !units.seconds || !units.minutes || !units.hours) return;
    // Measured against the clock, not counted in ticks: a background tab's timers run late.
    var end = Date.now() + seconds * 1000;
    // Only the end is announced; a sentence a second would drown a screen reader.
    node.setAttribute('aria-live', 'off');
    button.disabled = true;
    var timer = setInterval(function () {
      var left = Math.ceil((end - Date.now()) / 1000);
      if (left > 0) {
        node.textContent = template.split('{wait}').join(duration(units, left));
        return;
      }
      clearInterval(timer);
      button.disabled = false;
      node.setAttribute('aria-live', 'polite');
      node.textContent = done;
    }, 1000);
  }

  var nodes = document.querySelectorAll('[data-mfa-countdown]');
  for (var i = 0; i < nodes.length; i += 1) start(nodes[i]);
})();
`;
