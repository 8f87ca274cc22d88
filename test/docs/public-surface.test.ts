// What the package exports at run time is what the README and its API page document: nothing leaks, nothing goes undocumented.
import fs from 'node:fs';
import path from 'node:path';
import * as library from '../../src';
import * as testing from '../../src/testing';

const ROOT = path.join(__dirname, '..', '..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
const API = fs.readFileSync(path.join(ROOT, 'docs', 'api.md'), 'utf8');

const named = (text: string, name: string): boolean => new RegExp(`\`${name}\\b|\\b${name}\\(`).test(text);

test.each([
  ['express-bandwidth-mfa', Object.keys(library)],
  ['express-bandwidth-mfa/testing', Object.keys(testing)],
])('every run-time export of %s is named in docs/api.md, the API page the README links to', (_entry, names) => {
  expect(README).toContain('](docs/api.md)');
  expect(names.filter((name) => !named(API, name))).toEqual([]);
});

test('every name in the export tables of docs/api.md is exported', () => {
  const section = API.slice(API.indexOf('## Every run-time export'));
  const rows = section.split('\n').filter((line) => line.startsWith('| `'));
  const listed = rows.flatMap((row) => [...(row.split(' | ')[0] ?? '').matchAll(/`([A-Za-z_]+)/g)].map((match) => match[1] as string));
  expect(listed.length).toBeGreaterThan(20);
  const exported = new Set([...Object.keys(library), ...Object.keys(testing)]);
  expect(listed.filter((name) => !exported.has(name))).toEqual([]);
});

test('the quick-start names what a first run needs', () => {
  for (const name of [
    'middleware',
    'sandboxProvider',
    'memoryStore',
    'requireSecondFactor',
    'sendCodeRoute',
    'verifyCodeRoute',
    'errorHandler',
  ]) {
    expect(named(README, name)).toBe(true);
  }
});

test('internals stay internal', () => {
  for (const internal of [
    'validateBandwidthOptions',
    'parseRetryAfter',
    'waitFromProse',
    'BANDWIDTH_BASE_URL',
    'BASIC_AUTH_RETIREMENT',
    'resolveOptions',
    'USE_LOGGER',
  ]) {
    expect(Object.keys(library)).not.toContain(internal);
  }
});
