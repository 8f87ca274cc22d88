// An outage is said once in the log: many failing calls, one warning line (and later a count), an event for every one.
import { login, send } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('provider-warnings');
const FAILURES = 20;

/**
 * A failed send to Bandwidth (a 500 may come after the code went out) keeps the user's cooldown and counts
 * against the number: each sign-in here is a user of its own with a number of its own, and the number
 * range's budget is sized for the burst, so every send of the burst reaches Bandwidth.
 */
function burstApp() {
  const numbers = new Map<string, string>();
  return bed.appWith({
    getUser: (req) => {
      if (!(req.session as { username?: string }).username) return null;
      if (!numbers.has(req.sessionID)) numbers.set(req.sessionID, `+120255501${String(10 + numbers.size)}`);
      return { id: `user-${req.sessionID}`, phoneNumber: numbers.get(req.sessionID) as string };
    },
    sendBudgets: { prefix: { unverified: 100 }, address: { unverified: 100 } },
  });
}

function providerLines(): string[] {
  return bed.logs.filter((line) => /Bandwidth/.test(line));
}

test('a burst of failing sends logs one warning, the rest only as a count, and fires every provider_error event', async () => {
  const app = burstApp();
  bed.emulator.injectFault({ endpoint: 'messaging', status: 500, body: { error: 'Internal Error', requestId: 'r-1' } });
  for (let i = 0; i < FAILURES; i += 1) expect((await send(app, await login(app, 'alice'))).status).toBe(502);

  expect(bed.events.filter((e) => e.type === 'provider_error')).toHaveLength(FAILURES);
  const lines = providerLines();
  expect(lines.filter((line) => line === 'express-bandwidth-mfa: Bandwidth send_sms failed (server_error, requestId r-1).')).toHaveLength(
    1,
  );
  // On a slow machine a counting window may end during the loop: its line is a count, never a repeat.
  const counts = lines
    .slice(1)
    .map(
      (line) =>
        /^express-bandwidth-mfa: Bandwidth send_sms failed \(server_error\): (\d+) more like it in the last 10 s\.$/.exec(line)?.[1],
    );
  expect(counts.every((n) => n !== undefined)).toBe(true);
  expect(counts.reduce((sum, n) => sum + Number(n), 0)).toBeLessThan(FAILURES);
});

test('failures of different kinds each get their first line', async () => {
  const app = burstApp();
  bed.emulator.injectFault({ endpoint: 'messaging', status: 500, times: 2 });
  bed.emulator.injectFault({ endpoint: 'messaging', status: 400, times: 2 });
  for (let i = 0; i < 4; i += 1) await send(app, await login(app, 'alice'));
  const firstLines = providerLines().filter((line) => !/more like it/.test(line));
  expect(firstLines.map((line) => /failed \(server_error|refused the send_sms request/.exec(line)?.[0])).toEqual([
    'failed (server_error',
    'refused the send_sms request',
  ]);
  expect(bed.events.filter((e) => e.type === 'provider_error')).toHaveLength(4);
});
