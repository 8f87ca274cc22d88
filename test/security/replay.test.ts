// Replay: Bandwidth accepts a code again for minutes, so single use is enforced here, once, even under a race.
import { sessionCookie } from '../helpers/create-app';
import { codeFor, getAdmin, login, send, verify } from '../helpers/flow';
import { sessionCount, sessionKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('replay', { mfa: { resendCooldownSeconds: 1 } });

describe('replaying a code', () => {
  test('a used code is refused afterwards, in the verified session, the old one and a new one', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const code = codeFor(bed.emulator);
    const first = await verify(bed.app, cookie, code);
    expect(first.status).toBe(200);
    const calls = bed.emulator.requestCount('verify');
    expect((await verify(bed.app, sessionCookie(first.headers), code)).status).toBe(400);
    expect((await verify(bed.app, cookie, code)).status).toBe(401);
    const other = await login(bed.app);
    expect((await verify(bed.app, other, code)).status).toBe(400);
    expect((await getAdmin(bed.app, other)).status).toBe(401);
    expect(bed.emulator.requestCount('verify')).toBe(calls);
  });

  test('a used code is refused in a new session that has a fresh challenge of its own', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const used = codeFor(bed.emulator);
    expect((await verify(bed.app, cookie, used)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1100));
    const other = await login(bed.app);
    await send(bed.app, other);
    if (codeFor(bed.emulator) !== used) {
      const res = await verify(bed.app, other, used);
      expect(res.status).toBe(400);
      expect(res.body.error).toBe('invalid_code');
    }
  });

  test('a session restored with its pending challenge cannot use the code again, though Bandwidth would accept it', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const code = codeFor(bed.emulator);
    // What the session store held when the code was entered: a backup, a racing request, a replayed write.
    const saved = await bed.redis.get(sessionKey(bed.prefix, cookie));
    expect((await verify(bed.app, cookie, code)).status).toBe(200);
    await bed.redis.set(sessionKey(bed.prefix, cookie), saved as string, 'EX', 600);
    const callsBefore = bed.emulator.requestCount('verify');
    const replay = await verify(bed.app, cookie, code);
    expect(replay.status).toBe(400);
    expect(replay.body.error).toBe('invalid_code');
    expect(replay.headers['set-cookie']).toBeUndefined();
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    // One more call, as long as a real one, under a scope no code was sent under: it could not pass.
    const calls = bed.emulator.requests.filter((r) => r.endpoint === 'verify').slice(callsBefore);
    expect(calls).toHaveLength(1);
    expect(bed.emulator.sent.map((s) => s.scope)).not.toContain((calls[0]?.body as { scope: string }).scope);
  });

  test('10 parallel verifies of the right code: exactly one success and one session regeneration', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const code = codeFor(bed.emulator);
    const results = await Promise.all(Array.from({ length: 10 }, () => verify(bed.app, cookie, code)));
    const winners = results.filter((r) => r.status === 200);
    expect(winners).toHaveLength(1);
    for (const loser of results.filter((r) => r.status !== 200)) {
      // Refused as a used code, a gone session, or past the attempt budget (10 tries of a budget of 5).
      expect([400, 401, 429]).toContain(loser.status);
      expect(loser.headers['set-cookie']).toBeUndefined();
    }
    // The login session is gone and exactly one new one exists.
    expect(await sessionCount(bed.redis, bed.prefix)).toBe(1);
    expect(bed.events.filter((e) => e.type === 'code_verified')).toHaveLength(1);
    expect((await getAdmin(bed.app, sessionCookie((winners[0] as { headers: Record<string, unknown> }).headers))).status).toBe(200);
  });
});
