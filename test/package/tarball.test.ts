// The packed tarball, as npm would publish it: what it holds, publint --strict, and Are the Types Wrong for every resolution mode.
import fs from 'node:fs';
import path from 'node:path';
import { REPO_ROOT, execFileAsync, packedTarball } from './helpers/packed-tarball';

const BIN = path.join(REPO_ROOT, 'node_modules', '.bin');
const README = fs.readFileSync(path.join(REPO_ROOT, 'README.md'), 'utf8');
let tarball: string;

beforeAll(async () => {
  tarball = await packedTarball();
}, 240_000);

/** Runs a checker; a non-zero exit fails with everything it printed. */
async function check(command: string, args: string[]): Promise<string> {
  try {
    const { stdout, stderr } = await execFileAsync(path.join(BIN, command), args, {
      cwd: REPO_ROOT,
      env: { ...process.env, FORCE_COLOR: '0' },
    });
    return `${stdout}${stderr}`;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`${command} found problems in the packed tarball:\n${stdout}\n${stderr}`, { cause: error });
  }
}

async function filesInTarball(): Promise<string[]> {
  const { stdout } = await execFileAsync('tar', ['-tzf', tarball]);
  return stdout
    .split('\n')
    .filter(Boolean)
    .map((entry) => entry.replace(/^package\//, ''));
}

describe('the packed tarball', () => {
  test('holds the build, the declarations, the testing kit, the licence and the docs the README links to', async () => {
    const files = await filesInTarball();
    expect(files).toEqual(
      expect.arrayContaining([
        'package.json',
        'README.md',
        'LICENSE',
        'dist/index.js',
        'dist/index.d.ts',
        'dist/testing/index.js',
        'dist/testing/index.d.ts',
      ]),
    );
    const linked = [...README.matchAll(/\]\((docs\/[a-z0-9-]+\.md)(?:#[^)]*)?\)/g)].map((match) => match[1] as string);
    expect(linked.length).toBeGreaterThan(10);
    expect(linked.filter((doc) => !files.includes(doc))).toEqual([]);
  });

  test('holds nothing else: no source maps without sources, no tests, no sources, no config', async () => {
    const files = await filesInTarball();
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);
    expect(files.filter((file) => /(^|\/)test\/|\.(test|spec)\.[cm]?[jt]s$/.test(file))).toEqual([]);
    expect(
      files.filter(
        (file) =>
          !['package.json', 'README.md', 'LICENSE'].includes(file) &&
          !/^dist\/.+\.(js|d\.ts)$/.test(file) &&
          !/^docs\/[a-z0-9-]+\.md$/.test(file),
      ),
    ).toEqual([]);
  });

  test('passes publint --strict', async () => {
    expect(await check('publint', ['--strict', tarball])).toMatch(/All good!/);
  });

  test('passes Are the Types Wrong, node10 included, for the root and express-bandwidth-mfa/testing', async () => {
    // A local tarball and no Definitely Typed lookup: no network.
    const report = await check('attw', ['--format', 'ascii', '--no-color', '--no-definitely-typed', tarball]);
    expect(report).toMatch(/No problems found/);
    expect(report).toContain('"express-bandwidth-mfa/testing"');
  });
});
