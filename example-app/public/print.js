// The "Print" button of the recovery-codes page: shown only when this script runs, since printing needs it.
'use strict';

(function () {
  var button = document.getElementById('print-codes');
  if (!button) return;
  button.hidden = false;
  button.addEventListener('click', function () {
    window.print();
  });
})();
