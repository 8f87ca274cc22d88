// Every TypeScript block of the README and of docs/ type-checks under strict against the packed package, so the docs cannot drift.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { PACKAGE_OUTPUT, REPO_ROOT, packedTarball } from '../package/helpers/packed-tarball';
import { documentationFiles, documentationSnippets, readmeSnippets } from './readme-snippets';
import { SNIPPET_GIVENS } from './snippet-givens';

const run = promisify(execFile);
const TSC = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
const DIR = path.join(PACKAGE_OUTPUT, 'readme-snippets');

jest.setTimeout(300_000);

/** An ESM project (strict, nodenext) under test-output/, the tarball unpacked where `npm install` would put it. */
async function snippetProject(): Promise<string[]> {
  fs.rmSync(DIR, { recursive: true, force: true });
  const installed = path.join(DIR, 'node_modules', 'express-bandwidth-mfa');
  fs.mkdirSync(installed, { recursive: true });
  fs.mkdirSync(path.join(DIR, 'src'));
  fs.writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({ name: 'readme-snippets', private: true, type: 'module' }));
  fs.writeFileSync(
    path.join(DIR, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        target: 'ES2022',
        module: 'nodenext',
        moduleResolution: 'nodenext',
        strict: true,
        noEmit: true,
        skipLibCheck: true,
        types: ['node'],
      },
      include: ['src'],
    }),
  );
  await run('tar', ['-xzf', await packedTarball(), '-C', installed, '--strip-components=1']);
  fs.writeFileSync(path.join(DIR, 'src', 'givens.d.ts'), SNIPPET_GIVENS);
  const snippets = documentationSnippets();
  // Each block is a module of its own: its names never meet another block's.
  for (const snippet of snippets) fs.writeFileSync(path.join(DIR, 'src', snippet.file), `${snippet.code}\nexport {};\n`);
  return snippets.map((snippet) => `${snippet.file} (${snippet.document} line ${snippet.line}, under "${snippet.heading}")`);
}

test('the README and the pages of docs/ have TypeScript blocks to check', () => {
  expect(readmeSnippets().length).toBeGreaterThanOrEqual(1);
  expect(documentationSnippets().length).toBeGreaterThanOrEqual(15);
  // The pages that show code are read, not only the README.
  const documents = new Set(documentationSnippets().map((snippet) => snippet.document));
  expect(
    documentationFiles()
      .filter((document) => document.startsWith('docs/'))
      .some((document) => documents.has(document)),
  ).toBe(true);
});

test('every TypeScript block of the README and docs/ compiles under strict, as an ES module against the packed package', async () => {
  const names = await snippetProject();
  try {
    await run(process.execPath, [TSC, '-p', DIR], { cwd: DIR });
  } catch (error) {
    const output = (error as { stdout?: string }).stdout ?? String(error);
    throw new Error(`Documentation snippets that do not compile:\n${output}\nSnippets:\n${names.join('\n')}`, { cause: error });
  }
});
