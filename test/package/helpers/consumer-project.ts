// A throwaway consumer project under test-output/: the packed tarball unpacked into its node_modules, compiled, run.
import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_OUTPUT, REPO_ROOT, execFileAsync } from './packed-tarball';
import { consumerSource, type ModuleKind } from './consumer-source';

const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');

/**
 * Lives inside the repository on purpose: express, express-session, typescript and the @types resolve from
 * the repository's node_modules (the versions of its lockfile), so the test needs no registry and installs nothing
 * but the tarball, which it unpacks where `npm install <tarball>` would put it.
 */
export async function createConsumerProject(kind: ModuleKind, tarball: string): Promise<string> {
  const dir = path.join(PACKAGE_OUTPUT, 'consumers', kind);
  fs.rmSync(dir, { recursive: true, force: true });
  const installed = path.join(dir, 'node_modules', 'express-bandwidth-mfa');
  fs.mkdirSync(installed, { recursive: true });
  fs.mkdirSync(path.join(dir, 'src'));
  writeJson(path.join(dir, 'package.json'), { name: `consumer-${kind}`, private: true, type: kind === 'esm' ? 'module' : 'commonjs' });
  writeJson(path.join(dir, 'tsconfig.json'), {
    compilerOptions: {
      target: 'ES2022',
      module: 'nodenext',
      moduleResolution: 'nodenext',
      strict: true,
      noEmit: false,
      // As `tsc --init` sets it. Off, the compile checks all of @types/node and takes four times as long.
      skipLibCheck: true,
      types: ['node'],
      rootDir: 'src',
      outDir: 'dist',
    },
    include: ['src'],
  });
  fs.writeFileSync(path.join(dir, 'src', 'app.ts'), consumerSource(kind));
  // The tarball's files live under `package/`.
  await execFileAsync('tar', ['-xzf', tarball, '-C', installed, '--strip-components=1']);
  return dir;
}

export async function compile(dir: string): Promise<void> {
  try {
    await execFileAsync(process.execPath, [TSC, '-p', dir], { cwd: dir });
  } catch (error) {
    throw new Error(`tsc failed in the ${path.basename(dir)} consumer project:\n${(error as { stdout?: string }).stdout ?? ''}`, {
      cause: error,
    });
  }
}

/** Runs the compiled program; resolves with what it printed, rejects with its output when it exits non-zero or hangs. */
export async function runProgram(dir: string): Promise<string> {
  try {
    const { stdout } = await execFileAsync(process.execPath, [path.join(dir, 'dist', 'app.js')], { cwd: dir, timeout: 30_000 });
    return stdout;
  } catch (error) {
    const { stdout = '', stderr = '' } = error as { stdout?: string; stderr?: string };
    throw new Error(`the ${path.basename(dir)} consumer program failed:\n${stdout}\n${stderr}`, { cause: error });
  }
}

function writeJson(file: string, value: unknown): void {
  fs.writeFileSync(file, `${JSON.stringify(value, null, 2)}\n`);
}
