// Bandwidth failing (timeout, refused, reset, 500, 401/403): one call, a 502/503/504 with Retry-After, nothing granted, attempts still counted.
import type { Express } from 'express';
import request from 'supertest';
import type { FaultSpec } from '../../src/testing';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, postForm, send, verify, wrongCode } from '../helpers/flow';
import { freePort } from '../helpers/loopback-server';
import { sessionCount } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('provider');

/** A short client timeout so a hung Bandwidth costs the test 300 ms. */
function appWith(bandwidth: object = {}): Express {
  return bed.appWith({ bandwidth: { ...bandwidthOptionsFor(bed.emulator), timeoutMs: 300, ...bandwidth } });
}

const FAULTS: Array<[string, number, string, FaultSpec]> = [
  ['a timeout', 504, 'provider_unavailable', { hang: true }],
  ['a reset connection', 503, 'provider_unavailable', { destroySocket: true }],
  ['a 500', 502, 'provider_unavailable', { status: 500 }],
  [
    'a 503 page from a gateway',
    502,
    'provider_unavailable',
    { status: 503, rawBody: '<html>Service Unavailable</html>', headers: { 'Content-Type': 'text/html' } },
  ],
  ['a 401', 502, 'provider_misconfigured', { status: 401 }],
  ['a 403', 502, 'provider_misconfigured', { status: 403 }],
];

function expectProviderAnswer(res: request.Response, status: number, error: string): void {
  expect(res.status).toBe(status);
  expect(res.body.error).toBe(error);
  expect(res.headers['retry-after']).toBe('30');
  expect(res.body.retryAfterSeconds).toBe(30);
}

describe('Bandwidth failing on send', () => {
  test.each(FAULTS)('%s: one call, %i %s, no challenge to answer', async (_label, status, error, fault) => {
    const app = appWith();
    const cookie = await login(app);
    bed.emulator.injectFault({ endpoint: 'messaging', ...fault });
    expectProviderAnswer(await send(app, cookie), status, error);
    expect(bed.emulator.requestCount('messaging')).toBe(1);
    bed.emulator.clearFaults();
    // Even if a text went out before the failure, the session holds no challenge it could be used for.
    const code = bed.emulator.lastCode('+12025550101');
    const res = await verify(app, cookie, code ?? '123456');
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('no_pending_challenge');
    expect(bed.emulator.requestCount('verify')).toBe(0);
  });

  test('connection refused: 503 with Retry-After, nothing recorded', async () => {
    const port = await freePort();
    const app = appWith({ baseUrl: `http://127.0.0.1:${port}/api/v1` });
    const cookie = await login(app);
    expectProviderAnswer(await send(app, cookie), 503, 'provider_unavailable');
    expect((await verify(app, cookie, '123456')).body.error).toBe('no_pending_challenge');
  });

  test('the token endpoint refusing the client: 502, and no send is attempted', async () => {
    const app = appWith();
    const cookie = await login(app);
    bed.emulator.injectFault({ endpoint: 'token', status: 401, body: { error: 'invalid_client' } });
    expectProviderAnswer(await send(app, cookie), 502, 'provider_misconfigured');
    expect(bed.emulator.requestCount('messaging')).toBe(0);
  });
});

describe('Bandwidth failing on verify', () => {
  test.each(FAULTS)('%s: one call, %i %s, not verified, the attempt counted', async (_label, status, error, fault) => {
    const app = appWith();
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    bed.emulator.injectFault({ endpoint: 'verify', ...fault });
    const res = await verify(app, cookie, codeFor(bed.emulator));
    expectProviderAnswer(res, status, error);
    expect(res.headers['set-cookie']).toBeUndefined();
    expect(bed.emulator.requestCount('verify')).toBe(1);
    expect((await getAdmin(app, cookie)).status).toBe(401);
    expect(await sessionCount(bed.redis, bed.prefix)).toBe(1);
    bed.emulator.clearFaults();
    // One attempt spent on the failed call: the next wrong code leaves 3 of 5.
    const next = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    expect(next.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 3 });
  });

  test('connection refused: 503, not verified, the attempt counted', async () => {
    const app = appWith();
    const cookie = await login(app);
    await send(app, cookie);
    const port = await freePort();
    const broken = bed.appWith({ bandwidth: { ...bandwidthOptionsFor(bed.emulator), baseUrl: `http://127.0.0.1:${port}/api/v1` } });
    // Same deployment, this instance cannot reach Bandwidth.
    expectProviderAnswer(await verify(broken, cookie, codeFor(bed.emulator)), 503, 'provider_unavailable');
    expect((await getAdmin(app, cookie)).status).toBe(401);
    const next = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    expect(next.body.attemptsRemaining).toBe(3);
  });

  test('a browser gets a redirect to the challenge page naming the error, never a pass', async () => {
    const app = appWith();
    const cookie = await login(app);
    await send(app, cookie);
    bed.emulator.injectFault({ endpoint: 'verify', status: 500 });
    const res = await postForm(app, '/2fa/verify', cookie, { code: codeFor(bed.emulator) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/2fa?error=provider_unavailable&wait=30');
    expect((await getAdmin(app, cookie).set(JSON_HEADERS)).status).toBe(401);
  });
});
