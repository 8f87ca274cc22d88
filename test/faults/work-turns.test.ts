// Sends and verifies take turns (`workConcurrency`): one beyond the bound waits, then is refused with 503 having changed
// nothing; the turn is given back during the Bandwidth call; a code that went out is recorded however long the wait.
import request from 'supertest';
import type { Express } from 'express';
import type { MfaStore } from '../../src';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useHeldGateway } from '../helpers/held-gateway';
import { aliceHoldsTheTurn, holdingStore } from '../helpers/holding-store';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('work-turns');
const gateway = useHeldGateway(bed);

const TURNS = { workConcurrency: 1, workQueueTimeoutMs: 100 };

function appWith(store: MfaStore, options: object = {}): Express {
  // A long Bandwidth timeout: a held call must never time out while the test looks at the others.
  return bed.appWith({
    bandwidth: { ...bandwidthOptionsFor(bed.emulator), baseUrl: gateway.baseUrl, timeoutMs: 30_000 },
    store,
    ...TURNS,
    ...options,
  });
}

function expectTurnRefused(res: request.Response): void {
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('service_unavailable');
  expect(res.headers['retry-after']).toBe('5');
}

const state = (app: Express, cookie: string) => request(app).get('/2fa/state').set(JSON_HEADERS).set('Cookie', cookie);
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('beyond workConcurrency', () => {
  test('a send that waited workQueueTimeoutMs is refused with 503 and Retry-After, having changed nothing', async () => {
    const { held, app, bob, aliceSend } = await aliceHoldsTheTurn((store) => appWith(store, { maxSendsPerHour: 1 }));
    expectTurnRefused(await send(app, bob));
    // No cooldown, no counted send (one an hour), nothing sent.
    expect((await state(app, bob)).body.resendAvailableInSeconds).toBe(0);
    expect(bed.emulator.sent.map((s) => s.to)).toEqual([]);
    held.release();
    expect((await aliceSend).status).toBe(200);
    expect((await send(app, bob)).status).toBe(200);
    expect(bed.emulator.sent.map((s) => s.to)).toEqual(['+12025550101', '+12025550102']);
  });

  test('a verify that waited is refused the same way and spends no attempt', async () => {
    const held = holdingStore();
    const app = appWith(held.store);
    const alice = await login(app, 'alice');
    expect((await send(app, alice)).status).toBe(200);
    const code = codeFor(bed.emulator, 'alice');
    const bob = await login(app, 'bob');
    const bobSend = (await held.sendHeld(app, bob)).answer;
    expectTurnRefused(await verify(app, alice, wrongCode(code)));
    expect(bed.emulator.requestCount('verify')).toBe(0);
    held.release();
    expect((await bobSend).status).toBe(200);
    const wrong = await verify(app, alice, wrongCode(code));
    expect(wrong.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 });
  });

  test('the refusals of a storm are one log line a minute', async () => {
    const { held, app, bob, aliceSend } = await aliceHoldsTheTurn(appWith);
    for (let i = 0; i < 3; i += 1) expectTurnRefused(await send(app, bob));
    held.release();
    await aliceSend;
    expect(bed.logs.filter((line) => /work slots \(workConcurrency\)/.test(line))).toHaveLength(1);
  });
});

describe('the Bandwidth call', () => {
  test('gives the turn back while it waits on Bandwidth: another user sends meanwhile', async () => {
    const app = appWith(holdingStore().store);
    const alice = await login(app, 'alice');
    const bob = await login(app, 'bob');
    gateway.hold(1);
    const aliceSend = send(app, alice).then((res) => res);
    await gateway.waitForHeld(1);
    // Alice's send is at Bandwidth, not at work: Bob's whole send runs in the one slot.
    expect((await send(app, bob)).status).toBe(200);
    gateway.release();
    expect((await aliceSend).status).toBe(200);
  });

  test('once Bandwidth answered, a send waits for its turn past workQueueTimeoutMs: the code that went out is recorded', async () => {
    const held = holdingStore();
    const app = appWith(held.store);
    const alice = await login(app, 'alice');
    const bob = await login(app, 'bob');
    gateway.hold(1);
    const aliceSend = send(app, alice).then((res) => res);
    await gateway.waitForHeld(1);
    const bobSend = (await held.sendHeld(app, bob)).answer;
    // Bob holds the turn; Alice's code is sent and her send waits, three times longer than a new one may.
    gateway.release();
    await pause(3 * TURNS.workQueueTimeoutMs);
    held.release();
    expect((await aliceSend).status).toBe(200);
    expect((await bobSend).status).toBe(200);
    const verified = await verify(app, alice, codeFor(bed.emulator, 'alice'));
    expect(verified.status).toBe(200);
  });
});
