// The contract of the store's newer operations (bump, maps, and the one-step claims of a send, an attempt and a lockout).
import type { MfaStore } from '../../src/stores/types';

const range = (n: number) => Array.from({ length: n }, (_, i) => i);
const key = (name: string) => `{u:contract}:${name}`;
const sendKeys = { lockout: key('lockout'), cooldown: key('cooldown'), sends: key('sends') };
const sendLimits = { cooldownSeconds: 30, maxSends: 3, windowSeconds: 3600 };
const attemptKeys = { lockout: key('lockout'), attempts: key('attempts'), streak: key('streak') };
const windows = { attemptsSeconds: 3600, streakSeconds: 86_400 };

/** Registered inside `describeStoreContract`: `store()` gives the store of the current test. */
export function describeFlowSteps(store: () => MfaStore): void {
  describe('bump', () => {
    it('counts up and raises the TTL to at least what is asked, never lowering it', async () => {
      expect(await store().bump(key('gen'), 10)).toBe(1);
      expect((await store().get(key('gen')))!.ttlMs).toBeLessThanOrEqual(10_000);
      expect(await store().bump(key('gen'), 1000)).toBe(2);
      expect((await store().get(key('gen')))!.ttlMs).toBeGreaterThan(10_000);
      expect(await store().bump(key('gen'), 5)).toBe(3);
      expect((await store().get(key('gen')))!.ttlMs).toBeGreaterThan(10_000);
    });
  });

  describe('maps', () => {
    it('sets, reads, lists and deletes fields', async () => {
      await store().mapSet(key('devices'), 'a', 'one', 60);
      await store().mapSet(key('devices'), 'b', 'two', 60);
      expect(await store().mapGet(key('devices'), 'a')).toBe('one');
      expect(await store().mapGet(key('devices'), 'zzz')).toBeNull();
      expect(await store().mapGetAll(key('devices'))).toEqual({ a: 'one', b: 'two' });
      expect(await store().mapDelete(key('devices'), 'a')).toBe(true);
      expect(await store().mapDelete(key('devices'), 'a')).toBe(false);
      expect(await store().mapGetAll(key('devices'))).toEqual({ b: 'two' });
      expect(await store().mapGetAll(key('never-set'))).toEqual({});
    });
  });

  describe('claimSend', () => {
    it('claims the cooldown and counts the send once, for exactly one of 20 parallel callers', async () => {
      const claims = await Promise.all(range(20).map(() => store().claimSend(sendKeys, sendLimits)));
      expect(claims.filter((claim) => claim.claimed)).toHaveLength(1);
      expect(claims.filter((claim) => !claim.claimed && claim.refusal === 'resend_cooldown')).toHaveLength(19);
      expect((await store().get(key('sends')))?.value).toBe('1');
      expect((await store().get(key('cooldown')))!.ttlMs).toBeLessThanOrEqual(30_000);
    });

    it('refuses at the hourly cap without counting, and says how long the window has left', async () => {
      await store().set(key('sends'), '3', 600);
      const claim = await store().claimSend(sendKeys, sendLimits);
      expect(claim).toMatchObject({ claimed: false, refusal: 'send_limit_reached' });
      expect(!claim.claimed && claim.refusal !== 'locked_out' && claim.ttlMs).toBeLessThanOrEqual(600_000);
      expect((await store().get(key('sends')))?.value).toBe('3');
      expect(await store().get(key('cooldown'))).toBeNull();
    });

    it('refuses while locked out, naming the lockout, and changes nothing', async () => {
      await store().set(key('lockout'), 'attempts_exhausted', 900);
      const claim = await store().claimSend(sendKeys, sendLimits);
      expect(claim).toMatchObject({ claimed: false, refusal: 'locked_out', lockout: { value: 'attempts_exhausted' } });
      expect(await store().get(key('cooldown'))).toBeNull();
      expect(await store().get(key('sends'))).toBeNull();
    });

    it('fails, changing nothing, when the send count is not a number', async () => {
      await store().set(key('sends'), 'garbage', 600);
      await expect(store().claimSend(sendKeys, sendLimits)).rejects.toThrow();
      expect(await store().get(key('cooldown'))).toBeNull();
    });
  });

  describe('countAttempt', () => {
    it('counts attempts and the streak, and reads the challenge in the same step', async () => {
      await store().set(key('challenge'), 'id-1', 300);
      const first = await store().countAttempt({ ...attemptKeys, challenge: key('challenge') }, windows);
      expect(first).toMatchObject({ counted: true, attempts: 1, streak: 1, challenge: { value: 'id-1' } });
      const second = await store().countAttempt(attemptKeys, windows);
      expect(second).toEqual({ counted: true, attempts: 2, streak: 2, challenge: null });
    });

    it('gives 1..50 to 50 parallel callers', async () => {
      const counts = await Promise.all(range(50).map(() => store().countAttempt(attemptKeys, windows)));
      const attempts = counts.map((count) => (count.counted ? count.attempts : 0)).sort((a, b) => a - b);
      expect(attempts).toEqual(range(50).map((i) => i + 1));
    });

    it('counts nothing while locked out', async () => {
      await store().set(key('lockout'), 'held', 900);
      const count = await store().countAttempt(attemptKeys, windows);
      expect(count).toMatchObject({ counted: false, lockout: { value: 'held' } });
      expect(await store().get(key('attempts'))).toBeNull();
      expect(await store().get(key('streak'))).toBeNull();
    });

    it('keeps the attempt window from the first attempt and renews the streak on each', async () => {
      await store().countAttempt(attemptKeys, { attemptsSeconds: 100, streakSeconds: 200 });
      await store().countAttempt(attemptKeys, { attemptsSeconds: 10_000, streakSeconds: 50_000 });
      expect((await store().get(key('attempts')))!.ttlMs).toBeLessThanOrEqual(100_000);
      expect((await store().get(key('streak')))!.ttlMs).toBeGreaterThan(200_000);
    });

    it('fails, counting nothing, when a counter is not a number', async () => {
      await store().set(key('streak'), 'garbage', 600);
      await expect(store().countAttempt(attemptKeys, windows)).rejects.toThrow();
      expect(await store().get(key('attempts'))).toBeNull();
    });
  });

  describe('lock', () => {
    it('locks, and pins the attempt count for exactly as long', async () => {
      await store().set(key('attempts'), '2', 3600);
      const standing = await store().lock({ lockout: key('lockout'), attempts: key('attempts') }, { reason: 'attempts_exhausted', seconds: 900, pinAttempts: 5 });
      expect(standing.value).toBe('attempts_exhausted');
      expect(standing.ttlMs).toBeLessThanOrEqual(900_000);
      expect(standing.ttlMs).toBeGreaterThan(890_000);
      const attempts = await store().get(key('attempts'));
      expect(attempts?.value).toBe('5');
      expect(attempts!.ttlMs).toBeLessThanOrEqual(900_000);
    });

    it('only ever extends: a shorter lockout leaves a longer one, its reason and the pinned count alone', async () => {
      await store().lock({ lockout: key('lockout'), attempts: key('attempts') }, { reason: 'attempts_exhausted', seconds: 900, pinAttempts: 5 });
      const standing = await store().lock({ lockout: key('lockout') }, { reason: 'provider_rate_limited', seconds: 30 });
      expect(standing.value).toBe('attempts_exhausted');
      expect(standing.ttlMs).toBeGreaterThan(800_000);
      expect((await store().get(key('lockout')))?.value).toBe('attempts_exhausted');
      expect((await store().get(key('attempts')))!.ttlMs).toBeGreaterThan(800_000);
    });

    it('a longer lockout replaces a shorter one', async () => {
      await store().lock({ lockout: key('lockout') }, { reason: 'provider_rate_limited', seconds: 30 });
      const standing = await store().lock({ lockout: key('lockout') }, { reason: 'held', seconds: 86_400 });
      expect(standing.value).toBe('held');
      expect(standing.ttlMs).toBeGreaterThan(30_000);
    });

    it('of parallel lockouts of different lengths, the longest stands', async () => {
      const lengths = [30, 900, 120, 60, 1800, 10];
      await Promise.all(lengths.map((seconds) => store().lock({ lockout: key('lockout') }, { reason: `r${seconds}`, seconds })));
      const standing = await store().get(key('lockout'));
      expect(standing?.value).toBe('r1800');
      expect(standing!.ttlMs).toBeGreaterThan(900_000);
    });
  });
}
