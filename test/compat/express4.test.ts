// The library on Express 4.21+: same answers as on Express 5, async failures reach `next`, nothing writes req.query.
import type express from 'express';
import request from 'supertest';
import { codeFor, getAdmin, login, loginAndVerify, postForm, postRawJson, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

// Installed as an npm alias (`express4` → express@4) next to Express 5.
/* eslint-disable @typescript-eslint/no-require-imports */
const express4 = require('express4') as typeof express;
const express4Version = (require('express4/package.json') as { version: string }).version;
/* eslint-enable @typescript-eslint/no-require-imports */

const bed = useTestBed('express4', { express: express4, mfa: { maxAttempts: 2 } });

test('the app really runs on Express 4', () => {
  expect(express4Version).toMatch(/^4\./);
});

test('sign in, send, verify, open the protected route', async () => {
  const cookie = await loginAndVerify(bed.app, bed.emulator);
  expect((await getAdmin(bed.app, cookie)).status).toBe(200);
});

test('wrong codes count and lock; the lockout answers 429 with Retry-After', async () => {
  const cookie = await login(bed.app);
  await send(bed.app, cookie);
  const wrong = wrongCode(codeFor(bed.emulator));
  expect((await verify(bed.app, cookie, wrong)).body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 1 });
  const locked = await verify(bed.app, cookie, wrong);
  expect(locked.status).toBe(429);
  expect(locked.headers['retry-after']).toBe('900');
});

test('a browser is redirected to the challenge and back with the page it asked for', async () => {
  const cookie = await login(bed.app);
  const res = await request(bed.app).get('/admin?tab=users').set('Accept', 'text/html').set('Cookie', cookie);
  expect(res.status).toBe(302);
  expect(res.headers.location).toBe('/2fa');
  await send(bed.app, cookie);
  const done = await postForm(bed.app, '/2fa/verify', cookie, { code: codeFor(bed.emulator) });
  expect(done.status).toBe(303);
  expect(done.headers.location).toBe('/admin?tab=users');
});

test('malformed bodies and a failing provider get our documented errors', async () => {
  const cookie = await login(bed.app);
  const bad = await postRawJson(bed.app, '/2fa/verify', cookie).send('{"code":');
  expect(bad.status).toBe(400);
  expect(bad.body).toMatchObject({ error: 'invalid_request' });
  bed.emulator.injectFault({ endpoint: 'messaging', status: 500, times: 1 });
  const failed = await send(bed.app, cookie);
  expect(failed.status).toBe(502);
  expect(failed.body).toMatchObject({ error: 'provider_unavailable' });
});

test("an error thrown by the app's own getUser reaches Express 4's error handling instead of hanging", async () => {
  const failing = bed.appWith({
    getUser: async () => {
      throw new Error('user database down');
    },
  });
  const cookie = await login(failing);
  const res = await send(failing, cookie);
  expect(res.status).toBe(500);
  expect(bed.emulator.requestCount()).toBe(0);
  expect((await getAdmin(failing, cookie)).status).toBe(500);
});
