// A saturated event loop: sends and verifies are refused at once (503, nothing counted or sent), so the app's other routes keep their CPU.
import { codeFor, login, send, verify } from '../helpers/flow';
import { keysUnder } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';
import { createMfa } from '../../src';
import { memoryStore } from '../../src';

const bed = useTestBed('load-shedding');

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
    const app = bed.app;
    const cookie = await login(app);
    // The first check starts the process's sampler; then the storm.
    await send(app, await login(app, 'bob'));
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
  });

  test('a verify is refused the same way and spends no attempt: the same code passes once the loop is idle', async () => {
    const app = bed.app;
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    const code = codeFor(bed.emulator);
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
  });

  test('with `loadShedding: false` a send goes out however busy the loop is', async () => {
    const app = bed.appWith({ loadShedding: false });
    const cookie = await login(app);
    await send(app, await login(app, 'bob'));
    await saturateLoop(500);
    expect((await send(app, cookie)).status).toBe(200);
  });

  test.each([
    ['yes', '`loadShedding` must be `false` or an object'],
    [{ maxUtilization: 0.2 }, '`loadShedding.maxUtilization` must be a number from 0.5 to 1'],
    [{ maxUtilisation: 0.9 }, 'loadShedding.maxUtilisation'],
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
