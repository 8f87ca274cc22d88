// A send that failed in a way that may come after Bandwidth sent the code keeps the resend cooldown; only a certain "not sent" releases it.
import type { FaultSpec } from '../../src/testing';
import { login, send } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('ambiguous-send');

const KEEPS: Array<[string, FaultSpec]> = [
  [
    'a gateway 504 page after Bandwidth sent the code',
    {
      status: 504,
      rawBody: '<html><body>504 Gateway Time-out</body></html>',
      headers: { 'Content-Type': 'text/html' },
      afterHandling: true,
    },
  ],
  ['a gateway 502 with an empty body after the code was sent', { status: 502, rawBody: '', afterHandling: true }],
  ['a gateway 503 page', { status: 503, rawBody: '<html>Service Unavailable</html>', headers: { 'Content-Type': 'text/html' } }],
  ["Bandwidth's own 500", { status: 500 }],
  [
    "a 4xx that is not in Bandwidth's format (a gateway's 404 page)",
    { status: 404, rawBody: '<html>Not Found</html>', headers: { 'Content-Type': 'text/html' } },
  ],
];

describe('the cooldown after a failed send', () => {
  test.each(KEEPS)('%s: the cooldown holds, no second code', async (_label, fault) => {
    const cookie = await login(bed.app);
    bed.emulator.injectFault({ endpoint: 'messaging', ...fault, times: 1 });
    const failed = await send(bed.app, cookie);
    expect(failed.status).toBeGreaterThanOrEqual(500);
    const again = await send(bed.app, cookie);
    expect(again.status).toBe(429);
    expect(again.body.error).toBe('resend_cooldown');
    expect(bed.emulator.requestCount('messaging')).toBe(1);
  });

  test('the 504 came after the code went out: the phone got exactly one code', async () => {
    const cookie = await login(bed.app);
    bed.emulator.injectFault({ endpoint: 'messaging', status: 504, rawBody: '<html>504</html>', afterHandling: true, times: 1 });
    expect((await send(bed.app, cookie)).status).toBe(502);
    for (let i = 0; i < 4; i += 1) expect((await send(bed.app, cookie)).status).toBe(429);
    expect(bed.emulator.sent).toHaveLength(1);
  });

  test.each([400, 401, 403])("Bandwidth's own %i in its error format: nothing was sent, the cooldown is released", async (status) => {
    const cookie = await login(bed.app);
    bed.emulator.injectFault({ endpoint: 'messaging', status, times: 1 });
    expect((await send(bed.app, cookie)).status).toBeGreaterThanOrEqual(429);
    const retried = await send(bed.app, cookie);
    expect(retried.status).toBe(200);
    expect(bed.emulator.sent).toHaveLength(1);
  });
});

describe('the send budgets after a failed send', () => {
  // One unverified code fills the client's address bucket, so the next send shows whether the failed one still counts.
  const tight = { sendBudgets: { address: { unverified: 1 } } };

  test('a send that certainly never left is taken back out of its budgets', async () => {
    const app = bed.appWith(tight);
    const cookie = await login(app);
    bed.emulator.injectFault({ endpoint: 'messaging', status: 400, times: 1 });
    expect((await send(app, cookie)).status).toBe(502);
    expect((await send(app, cookie)).status).toBe(200);
  });

  test('a gateway 504 after the code went out keeps it counted: the next send from that client is refused', async () => {
    const app = bed.appWith(tight);
    bed.emulator.injectFault({ endpoint: 'messaging', status: 504, rawBody: '<html>504</html>', afterHandling: true, times: 1 });
    expect((await send(app, await login(app, 'alice'))).status).toBe(502);
    const bob = await send(app, await login(app, 'bob'));
    expect(bob.status).toBe(429);
    expect(bob.body.error).toBe('send_budget_exceeded');
  });
});
