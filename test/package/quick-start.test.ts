// The README's quick-start, pasted into a fresh project with the packed tarball installed, runs in one command
// (`npx tsx server.ts`) against the sandbox provider: sign in, the code from the log, the protected route.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import request from 'supertest';
import { readmeSnippets } from '../docs/readme-snippets';
import { freePort } from '../helpers/loopback-server';
import { PACKAGE_OUTPUT, REPO_ROOT, execFileAsync, packedTarball } from './helpers/packed-tarball';

jest.setTimeout(240_000);

const DIR = path.join(PACKAGE_OUTPUT, 'quick-start');
const TSX = path.join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

let server: ChildProcess | undefined;
let stdout = '';
let stderr = '';

afterAll(() => {
  server?.kill('SIGTERM');
});

/** As `npm init -y` and `npm install <tarball>` leave it; express, express-session and tsx resolve from the repository. */
async function freshProject(code: string): Promise<void> {
  fs.rmSync(DIR, { recursive: true, force: true });
  const installed = path.join(DIR, 'node_modules', 'express-bandwidth-mfa');
  fs.mkdirSync(installed, { recursive: true });
  fs.writeFileSync(path.join(DIR, 'package.json'), JSON.stringify({ name: 'quick-start', version: '1.0.0', private: true }));
  await execFileAsync('tar', ['-xzf', await packedTarball(), '-C', installed, '--strip-components=1']);
  fs.writeFileSync(path.join(DIR, 'server.ts'), code);
}

function started(child: ChildProcess): Promise<void> {
  return new Promise((resolve, reject) => {
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      if (stdout.includes('Open http://localhost')) resolve();
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('exit', (status) => reject(new Error(`the quick-start exited (${String(status)}) before listening:\n${stdout}\n${stderr}`)));
  });
}

async function sandboxCode(): Promise<string> {
  for (let i = 0; i < 100; i += 1) {
    const code = /sandbox: code (\d{6}) /.exec(stderr)?.[1];
    if (code) return code;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`no sandbox code in the log:\n${stderr}`);
}

test('the quick-start runs with `npx tsx server.ts` and walks sign-in, code from the log, protected route', async () => {
  const quickStart = readmeSnippets().find((snippet) => snippet.heading === 'Quick start');
  expect(quickStart).toBeDefined();
  expect(quickStart?.code.split('\n').length).toBeLessThanOrEqual(30);
  // The session cookie of the first thing people copy keeps SameSite=Lax.
  expect(quickStart?.code).toContain("sameSite: 'lax'");
  await freshProject(quickStart?.code ?? '');

  const port = await freePort();
  const env: NodeJS.ProcessEnv = { ...process.env, PORT: String(port) };
  delete env.NODE_ENV;
  server = spawn(process.execPath, [TSX, 'server.ts'], { cwd: DIR, env, stdio: ['ignore', 'pipe', 'pipe'] });
  await started(server);

  const agent = request.agent(`http://127.0.0.1:${port}`);
  await agent
    .get('/admin')
    .expect(302)
    .expect('Location', /^\/login/);
  await agent.get('/login').expect(200, /Sign in as demo/);
  await agent.post('/login').type('form').send({}).expect(303).expect('Location', '/admin');
  await agent
    .get('/admin')
    .expect(302)
    .expect('Location', /^\/2fa/);
  await agent.get('/2fa').expect(200, /<form/);
  await agent
    .post('/2fa/send')
    .type('form')
    .send({ channel: 'sms' })
    .expect(303)
    .expect('Location', /sent=sms/);
  expect(stderr).toContain('+1******0123');
  await agent
    .post('/2fa/verify')
    .type('form')
    .send({ code: await sandboxCode() })
    .expect(303)
    .expect('Location', '/admin');
  await agent.get('/admin').expect(200, 'Signed in, with a code.');
  // Shown once per send, and the start-up warning about users with nowhere to enrol was given.
  expect(stderr.match(/sandbox: code/g)).toHaveLength(1);
  expect(stderr).toContain('no phone number on record');
});
