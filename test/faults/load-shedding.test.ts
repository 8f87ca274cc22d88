// A storm on a saturated event loop: sends and verifies are refused at once (503, nothing counted or sent), so the app's other routes keep their CPU.
import type { Express } from 'express';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { codeFor, login, send, verify } from '../helpers/flow';
import { startHeldGateway, type HeldGateway } from '../helpers/held-gateway';
import { keysUnder } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';
import { createMfa, memoryStore } from '../../src';

const bed = useTestBed('load-shedding');
let gateway: HeldGateway;

beforeAll(async () => {
  gateway = await startHeldGateway(bed.emulator);
});
afterAll(() => gateway.close());
afterEach(() => gateway.release());

/**
 * An app whose storm floor is one call in flight (the default is 64, which this test bed has too few users for),
 * through the gateway that holds calls.
 */
function stormApp(loadShedding: object | false = { minCallsInFlight: 1 }): Express {
  return bed.appWith({
    bandwidth: { ...bandwidthOptionsFor(bed.emulator), baseUrl: gateway.baseUrl, timeoutMs: 30_000 },
    loadShedding: loadShedding as false,
  });
}

/**
 * Bob's send, held at the gateway: one Bandwidth call in flight for as long as the test needs. Its answer comes
 * wrapped: an async function returning the promise itself would wait for the send.
 */
async function callInFlight(app: Express): Promise<{ answer: Promise<unknown> }> {
  const cookie = await login(app, 'bob');
  gateway.hold(1);
  const answer = send(app, cookie).then((res) => res);
  await gateway.waitForHeld(1);
  return { answer };
}

/** Keeps this process's event loop about 95 % busy for `ms`, as a login storm would: busy slices with a short yield between. */
async function saturateLoop(ms: number): Promise<void> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    const slice = Date.now() + 40;
    while (Date.now() < slice) {
      // Spinning: this is the CPU the storm's requests would take.
    }
    await new Promise((resolve) => setImmediate(resolve));
  }
}

/** Waits, idle, until a send for `username` is served again (the loop's readings cover the last 300 ms). */
async function sendOnceIdle(app: Parameters<typeof send>[0], cookie: string) {
  for (let i = 0; i < 50; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 100));
    const res = await send(app, cookie);
    if (res.status !== 503) return res;
  }
  throw new Error('the send was still refused after 5 s of an idle loop');
}

describe('load shedding on a saturated event loop', () => {
  test('a send is refused with 503 and a 1 s Retry-After; nothing is counted, claimed or sent; once the loop is idle it goes out', async () => {
    const app = stormApp();
    const cookie = await login(app);
    const held = await callInFlight(app);
    const sentBefore = bed.emulator.sent.length;
    const keysBefore = (await keysUnder(bed.redis, `${bed.prefix}mfa:*`)).length;
    await saturateLoop(500);
    const refused = await send(app, cookie);
    expect(refused.status).toBe(503);
    expect(refused.body.error).toBe('provider_unavailable');
    expect(refused.headers['retry-after']).toBe('1');
    expect(bed.emulator.sent.length).toBe(sentBefore);
    expect((await keysUnder(bed.redis, `${bed.prefix}mfa:*`)).length).toBe(keysBefore);
    expect(bed.logs.some((line) => line.includes('loadShedding.maxUtilization'))).toBe(true);

    const served = await sendOnceIdle(app, cookie);
    expect(served.status).toBe(200);
    expect(bed.emulator.sent.length).toBe(sentBefore + 1);
    gateway.release();
    await held.answer;
  });

  test('below the floor of calls in flight a saturated loop refuses nothing: a busy test suite or burst is no storm', async () => {
    const app = stormApp({ minCallsInFlight: 2 });
    const cookie = await login(app);
    const held = await callInFlight(app);
    await saturateLoop(500);
    expect((await send(app, cookie)).status).toBe(200);
    gateway.release();
    await held.answer;
  });

  test('a verify is refused the same way and spends no attempt: the same code passes once the loop is idle', async () => {
    const app = stormApp();
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    const code = codeFor(bed.emulator);
    const held = await callInFlight(app);
    await saturateLoop(500);
    const refused = await verify(app, cookie, code);
    expect(refused.status).toBe(503);
    expect(bed.emulator.requests.filter((r) => r.endpoint === 'verify')).toHaveLength(0);
    await new Promise((resolve) => setTimeout(resolve, 400));
    let res = await verify(app, cookie, code);
    for (let i = 0; res.status === 503 && i < 40; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      res = await verify(app, cookie, code);
    }
    expect(res.status).toBe(200);
    gateway.release();
    await held.answer;
  });

  test('with `loadShedding: false` a send goes out however busy the loop is', async () => {
    const app = stormApp(false);
    const cookie = await login(app);
    const held = await callInFlight(app);
    await saturateLoop(500);
    expect((await send(app, cookie)).status).toBe(200);
    gateway.release();
    await held.answer;
  });

  test.each([
    ['yes', '`loadShedding` must be `false` or an object'],
    [{ maxUtilization: 0.2 }, '`loadShedding.maxUtilization` must be a number from 0.5 to 1'],
    [{ maxUtilisation: 0.9 }, 'loadShedding.maxUtilisation'],
    [{ minCallsInFlight: 0 }, 'loadShedding.minCallsInFlight'],
  ])('`loadShedding: %p` fails at start-up, saying what to change', (loadShedding, message) => {
    expect(() =>
      createMfa({
        bandwidth: { sendCode: async () => ({ id: 'x' }), verifyCode: async () => true },
        store: memoryStore(),
        getUser: () => null,
        loadShedding: loadShedding as never,
      }),
    ).toThrow(message);
  });
});
