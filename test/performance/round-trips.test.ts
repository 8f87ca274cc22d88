// Redis round trips per send and per verify (sessions and the store on one connection): counted, so they cannot creep back.
import { useTestBed } from '../helpers/test-bed';
import { countRoundTrips } from '../helpers/round-trips';
import { codeFor, login, send, verify } from '../helpers/flow';

const bed = useTestBed('round-trips');

/** Bob signs in, sends and verifies first: Redis then knows every script, so no NOSCRIPT retry is counted below. */
async function warmUp(): Promise<void> {
  const cookie = await login(bed.app, 'bob');
  expect((await send(bed.app, cookie)).status).toBe(200);
  expect((await verify(bed.app, cookie, codeFor(bed.emulator, 'bob'))).status).toBe(200);
}

describe('Redis round trips of the flow', () => {
  test('a send: the session read and written, and one store step that claims the send, records the challenge and counts its budgets', async () => {
    await warmUp();
    const app = bed.app;
    const cookie = await login(app);
    const trips = await countRoundTrips(bed.redis, bed.prefix, async () => {
      const res = await send(app, cookie);
      expect(res.status).toBe(200);
    });
    // Session: get, set. Store: claimSend (lockout, cooldown, hourly cap, the challenge and, off a Cluster, the budgets).
    expect({ session: trips.session, store: trips.store }).toEqual({ session: 2, store: 1 });
    expect(trips.commands).toHaveLength(3);
  });

  test('a verify: the session read, the old id destroyed and the new session written once; the attempt counted; consumed and credited in one step', async () => {
    await warmUp();
    const app = bed.app;
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    const code = codeFor(bed.emulator);
    const trips = await countRoundTrips(bed.redis, bed.prefix, async () => {
      const res = await verify(app, cookie, code);
      expect(res.status).toBe(200);
    });
    // Session: get, destroy, set (not a second set at the end of the request). Store: countAttempt, then the consume
    // and (off a Cluster) the credit of the send's budgets in one step.
    expect({ session: trips.session, store: trips.store }).toEqual({ session: 3, store: 2 });
    expect(trips.commands).toHaveLength(5);
  });
});
