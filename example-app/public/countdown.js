// The resend countdown: keeps the send button disabled until the cooldown the server reported is over.
'use strict';

(function () {
  var wait = document.querySelector('[data-countdown]');
  if (!wait) return;
  var button = document.getElementById(wait.getAttribute('data-countdown-button'));
  var seconds = parseInt(wait.getAttribute('data-countdown'), 10);
  if (!button || !(seconds > 0)) return;
  // Only the end is announced to screen readers; a per-second announcement would drown the page.
  wait.setAttribute('aria-live', 'off');
  button.disabled = true;
  var timer = setInterval(function () {
    seconds -= 1;
    if (seconds > 0) {
      wait.textContent = 'You can ask for a new code in ' + seconds + (seconds === 1 ? ' second.' : ' seconds.');
      return;
    }
    clearInterval(timer);
    button.disabled = false;
    wait.setAttribute('aria-live', 'polite');
    wait.textContent = 'You can ask for a new code now.';
  }, 1000);
})();
