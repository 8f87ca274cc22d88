// Preloaded (node -r) into an example-app process a test spawns: its `express-bandwidth-mfa` is src/, as under jest.
'use strict';

require('tsx/cjs');
const Module = require('node:module');
const path = require('node:path');

const SRC = path.join(__dirname, '..', '..', '..', 'src');
const TARGETS = {
  'express-bandwidth-mfa': path.join(SRC, 'index.ts'),
  'express-bandwidth-mfa/testing': path.join(SRC, 'testing', 'index.ts'),
};

// `npm start` and `npm run admin` use the built dist/; a test must not depend on (or race with) a build.
const resolve = Module._resolveFilename;
Module._resolveFilename = function resolveLibraryFromSource(request, ...rest) {
  return resolve.call(this, Object.prototype.hasOwnProperty.call(TARGETS, request) ? TARGETS[request] : request, ...rest);
};
