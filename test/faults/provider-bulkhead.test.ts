// The bound on Bandwidth calls in flight: beyond it sends and verifies are refused at once with 503, having changed nothing.
import request from 'supertest';
import type { Express } from 'express';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useHeldGateway } from '../helpers/held-gateway';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('bulkhead');
const gateway = useHeldGateway(bed);

/** One provider call at a time, through the gateway that can hold it. */
function boundedApp(options: object = {}): Express {
  // A long timeout: a held call must never time out while the test looks at the others.
  return bed.appWith({
    bandwidth: { ...bandwidthOptionsFor(bed.emulator), baseUrl: gateway.baseUrl, timeoutMs: 30_000 },
    providerConcurrency: 1,
    ...options,
  });
}

function expectBusy(res: request.Response): void {
  expect(res.status).toBe(503);
  expect(res.body.error).toBe('provider_unavailable');
  expect(res.headers['retry-after']).toBe('30');
  expect(res.body.retryAfterSeconds).toBe(30);
}

/**
 * Starts a send of `cookie`'s user and resolves once it is held at the gateway, holding the only slot;
 * `answer` is its response (wrapped: awaiting a promise of a promise would wait for the send itself).
 */
async function slotTakenBySend(app: Express, cookie: string): Promise<{ answer: Promise<request.Response> }> {
  gateway.hold(1);
  const answer = send(app, cookie).then((res) => res);
  await gateway.waitForHeld(1);
  return { answer };
}

function state(app: Express, cookie: string) {
  return request(app).get('/2fa/state').set(JSON_HEADERS).set('Cookie', cookie);
}

describe('a send beyond the bound', () => {
  test('is refused with 503 and Retry-After while the slot is taken, before the call holding it ends', async () => {
    const app = boundedApp();
    const alice = await login(app, 'alice');
    const bob = await login(app, 'bob');
    let aliceAnswered = false;
    const pending = (await slotTakenBySend(app, alice)).answer.then((res) => {
      aliceAnswered = true;
      return res;
    });
    expectBusy(await send(app, bob));
    expect(aliceAnswered).toBe(false);
    gateway.release();
    expect((await pending).status).toBe(200);
    // Bob's refused send never reached Bandwidth.
    expect(bed.emulator.sent.map((s) => s.to)).toEqual(['+12025550101']);
  });

  test('leaves no cooldown and no counted send: the user sends again as soon as the slot is free', async () => {
    // One send an hour: had the refused send been counted, the next would hit the cap.
    const app = boundedApp({ maxSendsPerHour: 1 });
    const alice = await login(app, 'alice');
    const bob = await login(app, 'bob');
    const pending = (await slotTakenBySend(app, alice)).answer;
    expectBusy(await send(app, bob));
    expect((await state(app, bob)).body.resendAvailableInSeconds).toBe(0);
    gateway.release();
    await pending;
    const again = await send(app, bob);
    expect(again.status).toBe(200);
    expect(bed.emulator.sent.map((s) => s.to)).toEqual(['+12025550101', '+12025550102']);
  });

  test('the refusals of a burst are one log line, and no provider_error event (Bandwidth did not fail)', async () => {
    const app = boundedApp({ maxSendsPerHour: 100 });
    const alice = await login(app, 'alice');
    const bob = await login(app, 'bob');
    const pending = (await slotTakenBySend(app, alice)).answer;
    for (let i = 0; i < 5; i += 1) expectBusy(await send(app, bob));
    gateway.release();
    await pending;
    const lines = bed.logs.filter((line) => /provider|Bandwidth calls are in flight/.test(line));
    expect(lines.filter((line) => /1 Bandwidth calls are in flight \(providerConcurrency\)/.test(line))).toHaveLength(1);
    expect(lines.every((line) => /in flight|every provider slot is taken: \d+ more like it/.test(line))).toBe(true);
    expect(bed.events.filter((e) => e.type === 'provider_error')).toHaveLength(0);
  });
});

describe('a verify beyond the bound', () => {
  test('is refused with 503 and spends no attempt', async () => {
    const app = boundedApp();
    const alice = await login(app, 'alice');
    expect((await send(app, alice)).status).toBe(200);
    const code = codeFor(bed.emulator, 'alice');
    const bob = await login(app, 'bob');
    const pending = (await slotTakenBySend(app, bob)).answer;
    const refused = await verify(app, alice, wrongCode(code));
    expectBusy(refused);
    expect(bed.emulator.requestCount('verify')).toBe(0);
    gateway.release();
    expect((await pending).status).toBe(200);
    // The first counted attempt: 4 of 5 left, as if the refused one had never been made.
    const wrong = await verify(app, alice, wrongCode(code));
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 });
    expect((await verify(app, alice, code)).status).toBe(200);
  });
});

describe('the slot comes back', () => {
  test('after a call that failed, the next one is admitted', async () => {
    const app = boundedApp({ maxSendsPerHour: 100 });
    const alice = await login(app, 'alice');
    // Bandwidth's own 400 certainly sent nothing, so the user's cooldown is handed back too.
    bed.emulator.injectFault({ endpoint: 'messaging', status: 400, times: 1 });
    expect((await send(app, alice)).status).toBe(502);
    expect((await send(app, alice)).status).toBe(200);
  });
});
