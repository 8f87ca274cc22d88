// pageError(req, state): the `?error=` a page of your own shows, placed and worded as the built-in page does it.
import request from 'supertest';
import type { Express } from 'express';
import * as library from '../../src';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { mfaOf, usePageBed } from './page-app';

const bed = usePageBed('page-error');

/** The bed's app with a page of its own at /custom answering what `pageError` (module-level, or the instance's) gives. */
function appWithOwnPage(options: Parameters<typeof bed.app>[0] = {}): Express {
  const app = bed.app(options);
  app.get('/custom', async (req, res) => void res.json({ error: library.pageError(req, await library.getChallengeState(req)) ?? null }));
  app.get('/custom-instance', async (req, res) => {
    const mfa = mfaOf(app);
    res.json({ error: mfa.pageError(req, await mfa.getChallengeState(req)) ?? null });
  });
  return app;
}

async function errorOn(app: Express, cookie: string, query: string, path = '/custom'): Promise<unknown> {
  return (await request(app).get(`${path}${query}`).set('Cookie', cookie)).body.error;
}

test('errors about the code go next to the code field while a code is pending, and next to the send form before', async () => {
  const app = appWithOwnPage();
  const cookie = await login(app);
  const invalid = 'That code is not valid. Check the newest code we sent you, or request a new one.';
  expect(await errorOn(app, cookie, '?error=invalid_code')).toEqual({ text: invalid, near: 'send' });
  await send(app, cookie);
  expect(await errorOn(app, cookie, '?error=invalid_code')).toEqual({ text: invalid, near: 'code' });
  expect(await errorOn(app, cookie, '?error=invalid_code', '/custom-instance')).toEqual({ text: invalid, near: 'code' });
  expect(await errorOn(app, cookie, '?error=send_limit_reached&wait=120')).toEqual({
    text: 'Too many codes were requested. Try again in 2 minutes.',
    near: 'send',
  });
});

test("the recovery form's errors speak of the recovery code", async () => {
  const app = appWithOwnPage();
  const cookie = await login(app);
  expect(await errorOn(app, cookie, '?error=invalid_code&form=recovery')).toEqual({
    text: 'That recovery code is not valid or was already used. Check it and try again.',
    near: 'recovery',
  });
});

test('nothing for what the state says, for codes not ours, or during a lockout', async () => {
  const app = appWithOwnPage({ mfa: { maxAttempts: 1 } });
  const cookie = await login(app);
  for (const query of ['?error=resend_cooldown&wait=30', '?error=second_factor_required', '?error=<b>hi</b>', '?error=toString', '']) {
    expect(await errorOn(app, cookie, query)).toBeNull();
  }
  await send(app, cookie);
  expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(429);
  expect(await errorOn(app, cookie, '?error=invalid_code')).toBeNull();
  expect(await errorOn(app, cookie, '?error=locked_out&wait=900')).toBeNull();
});
