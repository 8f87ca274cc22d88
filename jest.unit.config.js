// The fast lane (`npm run test:unit`): the tests that need no Redis, PostgreSQL or browser, so no global setup.
const base = require('./jest.config');

/** Each reaches no service; a test that starts to need one belongs in `npm test` only. The tarball tests build the package, which is not fast. */
const UNIT_TESTS = [
  'test/bandwidth/options.test.ts',
  'test/bandwidth/socket-slots.test.ts',
  'test/config/options.test.ts',
  'test/config/passkeys-options.test.ts',
  'test/config/concurrency.test.ts',
  'test/docs/public-surface.test.ts',
  'test/docs/readme-snippets.test.ts',
  'test/flow/warning-bursts.test.ts',
  'test/stores/memory.test.ts',
  'test/stores/store-contract-checker.test.ts',
  'test/testing/emulator.test.ts',
];

/** @type {import('jest').Config} */
module.exports = {
  ...base,
  testMatch: UNIT_TESTS.map((file) => `<rootDir>/${file}`),
  globalSetup: undefined,
  globalTeardown: undefined,
  // A Redis no test here may reach: one that does fails at once instead of quietly using the real server.
  setupFiles: ['<rootDir>/test/setup/no-services.js'],
};
