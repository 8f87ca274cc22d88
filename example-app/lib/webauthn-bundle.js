// Where the installed @simplewebauthn/browser keeps its browser bundle (the package exports only its modules).
'use strict';

const path = require('node:path');

function webAuthnBrowserBundle() {
  return path.join(path.dirname(require.resolve('@simplewebauthn/browser')), '..', 'dist', 'bundle', 'index.umd.min.js');
}

module.exports = { webAuthnBrowserBundle };
