// Packs the library once per jest run (`npm pack`, whose `prepare` builds dist/) and shares the tarball between the package tests.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';

export const REPO_ROOT = path.resolve(__dirname, '..', '..', '..');
export const PACKAGE_OUTPUT = path.join(REPO_ROOT, 'test-output', 'package');
const WAIT_FOR_OTHER_PACKER_MS = 240_000;

export const execFileAsync = promisify(execFile);

let packed: Promise<string> | undefined;

/**
 * The path of this run's tarball. The first test file to ask packs it into a folder named after the run (set by
 * test/setup/global-setup.js); the other worker waits for it, so one run builds and packs exactly once.
 */
export function packedTarball(): Promise<string> {
  packed ??= packOrWait(path.join(PACKAGE_OUTPUT, `tarball-${process.env.MFA_TEST_RUN ?? `pid-${process.pid}`}`));
  return packed;
}

async function packOrWait(dir: string): Promise<string> {
  fs.mkdirSync(PACKAGE_OUTPUT, { recursive: true });
  try {
    // mkdir is atomic: of two workers asking at once, exactly one gets to pack.
    fs.mkdirSync(dir);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    return waitForPacker(dir);
  }
  removeEarlierRuns(dir);
  try {
    await execFileAsync('npm', ['pack', '--pack-destination', dir, '--loglevel', 'error'], { cwd: REPO_ROOT, maxBuffer: 16 * 1024 * 1024 });
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    fs.writeFileSync(path.join(dir, 'failed'), `${(error as Error).message}\n${stdout}\n${stderr}`);
    throw new Error(`npm pack failed:\n${stdout}\n${stderr}`, { cause: error });
  }
  fs.writeFileSync(path.join(dir, 'done'), '');
  return tarballIn(dir);
}

async function waitForPacker(dir: string): Promise<string> {
  const until = Date.now() + WAIT_FOR_OTHER_PACKER_MS;
  while (Date.now() < until) {
    if (fs.existsSync(path.join(dir, 'failed')))
      throw new Error(`npm pack failed in another test file:\n${fs.readFileSync(path.join(dir, 'failed'), 'utf8')}`);
    if (fs.existsSync(path.join(dir, 'done'))) return tarballIn(dir);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no tarball appeared in ${dir}`);
}

function tarballIn(dir: string): string {
  const found = fs.readdirSync(dir).filter((name) => name.endsWith('.tgz'));
  if (found.length !== 1) throw new Error(`expected one tarball in ${dir}, found ${found.length}`);
  return path.join(dir, found[0] as string);
}

function removeEarlierRuns(current: string): void {
  for (const name of fs.readdirSync(PACKAGE_OUTPUT)) {
    const dir = path.join(PACKAGE_OUTPUT, name);
    if (name.startsWith('tarball-') && dir !== current) fs.rmSync(dir, { recursive: true, force: true });
  }
}
