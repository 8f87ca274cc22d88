// Two projects install the packed tarball, compile against it with strict nodenext TypeScript (ESM and CommonJS) and run the whole flow.
import { packedTarball } from './helpers/packed-tarball';
import { compile, createConsumerProject, runProgram } from './helpers/consumer-project';
import type { ModuleKind } from './helpers/consumer-source';

let tarball: string;

beforeAll(async () => {
  tarball = await packedTarball();
}, 240_000);

describe.each<[string, ModuleKind]>([
  ['an ES module project ("type": "module")', 'esm'],
  ['a CommonJS project ("type": "commonjs")', 'cjs'],
])('%s', (_label, kind) => {
  test('compiles against the package, then signs in, sends, verifies and reaches the guarded route only after', async () => {
    const dir = await createConsumerProject(kind, tarball);
    await compile(dir);
    const output = await runProgram(dir);
    expect(output).toContain('store contract passed: 46 cases');
    expect(output).toContain('consumer flow passed');
  }, 120_000);
});
