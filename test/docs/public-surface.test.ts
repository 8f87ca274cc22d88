// What the package exports at run time is what the README documents: nothing leaks, nothing goes undocumented.
import fs from 'node:fs';
import path from 'node:path';
import * as library from '../../src';
import * as testing from '../../src/testing';

const README = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');

test.each([
  ['express-bandwidth-mfa', Object.keys(library)],
  ['express-bandwidth-mfa/testing', Object.keys(testing)],
])('every run-time export of %s is named in the README', (_entry, names) => {
  const undocumented = names.filter((name) => !new RegExp(`\`${name}\\b|\\b${name}\\(`).test(README));
  expect(undocumented).toEqual([]);
});

test('internals stay internal', () => {
  for (const internal of ['validateBandwidthOptions', 'parseRetryAfter', 'waitFromProse', 'BANDWIDTH_BASE_URL', 'BASIC_AUTH_RETIREMENT', 'resolveOptions']) {
    expect(Object.keys(library)).not.toContain(internal);
  }
});
