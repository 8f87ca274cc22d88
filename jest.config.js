/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', diagnostics: false }] },
  testMatch: ['<rootDir>/test/**/*.test.ts'],
  globalSetup: '<rootDir>/test/setup/global-setup.js',
  globalTeardown: '<rootDir>/test/setup/global-teardown.js',
  moduleNameMapper: {
    '^express-bandwidth-mfa$': '<rootDir>/src/index.ts',
    '^express-bandwidth-mfa/testing$': '<rootDir>/src/testing/index.ts',
  },
  testTimeout: 20000,
  maxWorkers: 2,
};
