// Operator tools from a separate process (a CLI, a job): unlock, reset the factor, list trusted browsers; each names who acted.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import type { Express } from 'express';
import type { MfaEvent } from '../../src';
import { mfaOf } from '../helpers/create-app';
import { codeFor, getAdmin, login, send, verify, wrongCode } from '../helpers/flow';
import { REDIS_URL } from '../helpers/redis';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('operator', { lifecycle: true });
const run = promisify(execFile);
const TSX = path.join(__dirname, '..', '..', 'node_modules', '.bin', 'tsx');
const SCRIPT = path.join(__dirname, 'fixtures', 'operator.ts');

jest.setTimeout(60_000);

/** Runs the operator script in its own process; returns the events it emitted and anything else it printed. */
async function operator(command: string, userId: string): Promise<{ events: MfaEvent[]; output: Record<string, unknown>[] }> {
  const { stdout } = await run(TSX, [SCRIPT, bed.prefix, command, userId, 'ops:jane'], {
    env: { ...process.env, REDIS_URL },
    timeout: 30_000,
  });
  const lines = stdout
    .trim()
    .split('\n')
    .filter(Boolean)
    .map((line) => JSON.parse(line) as Record<string, unknown>);
  return { events: lines.filter((line) => line.event).map((line) => line.event as MfaEvent), output: lines.filter((line) => !line.event) };
}

/** Three wrong codes lock (fewer than the five after which Bandwidth itself would refuse the number for a while). */
async function lockOut(username: string): Promise<{ app: Express; cookie: string }> {
  const app = bed.appWith({ maxAttempts: 3 });
  const cookie = await login(app, username);
  await send(app, cookie);
  for (let i = 0; i < 3; i += 1) await verify(app, cookie, wrongCode(codeFor(bed.emulator, username)));
  expect((await send(app, cookie)).body.error).toBe('locked_out');
  return { app, cookie };
}

test('unlock: the code already sent works at once', async () => {
  const { app, cookie } = await lockOut('bob');
  const { events } = await operator('unlock', 'user-bob');
  expect(events).toEqual([expect.objectContaining({ type: 'user_unlocked', userId: 'user-bob', actor: 'ops:jane' })]);
  expect((await verify(app, cookie, codeFor(bed.emulator, 'bob'))).status).toBe(200);
});

test('reset: lockout, trusted browsers, number and recovery codes gone; the user enrols again at the next sign-in', async () => {
  await mfaOf(bed.app).generateRecoveryCodes('user-alice');
  const first = await login(bed.app);
  await send(bed.app, first);
  await verify(bed.app, first, codeFor(bed.emulator), { rememberDevice: true });
  const listed = await operator('devices', 'user-alice');
  expect((listed.output[0]?.devices as unknown[]).length).toBe(1);
  await lockOut('alice');

  const { events } = await operator('reset', 'user-alice');
  expect(events.map((e) => [e.type, e.actor])).toEqual([['second_factor_reset', 'ops:jane']]);
  expect((await bed.records.find('user-alice')).phoneNumber).toBeNull();
  expect(await bed.records.hashes('user-alice')).toEqual([]);
  // Nothing of the user's is left in the store (the deployment's signing key is not the user's) but the
  // mark of the reset, which keeps sessions signed in before it from enrolling.
  expect((await bed.redis.keys(`${bed.prefix}mfa:{u:*`)).map((key) => key.replace(/^.*\}:/, ''))).toEqual(['factor-reset']);
  expect((await getAdmin(bed.app, await login(bed.app))).body.error).toBe('enrolment_required');
  expect((await operator('devices', 'user-alice')).output[0]?.devices).toEqual([]);
});

test('an unknown command or a missing user id fails with a message and a non-zero exit', async () => {
  await expect(operator('reset', '')).rejects.toMatchObject({ code: 1, stderr: expect.stringMatching(/needs the user id/) });
});
