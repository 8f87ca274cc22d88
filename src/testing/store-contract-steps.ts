// The store contract's cases for the flow's one-step operations (the claims of a send, an attempt and a lockout), and the maps.
import { strict as assert } from 'node:assert';
import { mapsOf } from '../stores/maps';
import { above, atMost, contractCase, key, present, range, type StoreContractCase } from './store-contract-case';

const sendKeys = { lockout: key('lockout'), cooldown: key('cooldown'), sends: key('sends'), challenge: key('challenge') };
const sendLimits = { cooldownSeconds: 30, maxSends: 3, windowSeconds: 3600, challengeId: 'new-challenge', challengeSeconds: 300 };
const attemptKeys = { lockout: key('lockout'), attempts: key('attempts'), streak: key('streak') };
const windows = { attemptsSeconds: 3600, streakSeconds: 86_400 };

const maps = contractCase('maps: set, read, list and delete fields', async (core) => {
  const store = mapsOf(core, 'The maps case of the store contract');
  await store.mapSet(key('devices'), 'a', 'one', 60);
  await store.mapSet(key('devices'), 'b', 'two', 60);
  assert.equal(await store.mapGet(key('devices'), 'a'), 'one');
  assert.equal(await store.mapGet(key('devices'), 'zzz'), null);
  assert.deepEqual(await store.mapGetAll(key('devices')), { a: 'one', b: 'two' });
  assert.equal(await store.mapDelete(key('devices'), 'a'), true);
  assert.equal(await store.mapDelete(key('devices'), 'a'), false);
  assert.deepEqual(await store.mapGetAll(key('devices')), { b: 'two' });
  assert.deepEqual(await store.mapGetAll(key('never-set')), {});
});

const claimSend: StoreContractCase[] = [
  contractCase('claimSend: claims the cooldown and counts the send once, for exactly one of 20 parallel callers', async (store) => {
    const claims = await Promise.all(range(20).map(() => store.claimSend(sendKeys, sendLimits)));
    assert.equal(claims.filter((claim) => claim.claimed).length, 1, 'exactly one claim');
    assert.equal(
      claims.filter((claim) => !claim.claimed && claim.refusal === 'resend_cooldown').length,
      19,
      '19 refusals for the cooldown',
    );
    assert.equal((await store.get(key('sends')))?.value, '1');
    atMost(present(await store.get(key('cooldown')), 'the cooldown').ttlMs, 30_000, 'ttlMs of a 30 s cooldown');
  }),
  contractCase('claimSend: a claim records the new challenge for its life, replacing the earlier one', async (store) => {
    await store.set(key('challenge'), 'earlier-challenge', 600);
    const claim = await store.claimSend(sendKeys, sendLimits);
    assert.ok(claim.claimed, `expected the send to be claimed, got ${JSON.stringify(claim)}`);
    const challenge = present(await store.get(key('challenge')), 'the challenge');
    assert.equal(challenge.value, 'new-challenge');
    atMost(challenge.ttlMs, 300_000, 'ttlMs of a challenge of 300 s');
    above(challenge.ttlMs, 290_000, 'ttlMs of a challenge of 300 s, just recorded');
  }),
  contractCase('claimSend: refuses at the hourly cap without counting, and says how long the window has left', async (store) => {
    await store.set(key('sends'), '3', 600);
    const claim = await store.claimSend(sendKeys, sendLimits);
    assert.ok(
      !claim.claimed && claim.refusal === 'send_limit_reached',
      `expected a send_limit_reached refusal, got ${JSON.stringify(claim)}`,
    );
    atMost(claim.ttlMs, 600_000, 'ttlMs of the refusal, for a window of 600 s left');
    assert.equal((await store.get(key('sends')))?.value, '3');
    assert.equal(await store.get(key('cooldown')), null);
    assert.equal(await store.get(key('challenge')), null, 'a refused claim records no challenge');
  }),
  contractCase('claimSend: refuses while locked out, naming the lockout, and changes nothing', async (store) => {
    await store.set(key('lockout'), 'attempts_exhausted', 900);
    const claim = await store.claimSend(sendKeys, sendLimits);
    assert.ok(!claim.claimed && claim.refusal === 'locked_out', `expected a locked_out refusal, got ${JSON.stringify(claim)}`);
    assert.equal(claim.lockout.value, 'attempts_exhausted');
    assert.equal(await store.get(key('cooldown')), null);
    assert.equal(await store.get(key('sends')), null);
    assert.equal(await store.get(key('challenge')), null);
  }),
  contractCase('claimSend: fails, changing nothing, when the send count is not a number', async (store) => {
    await store.set(key('sends'), 'garbage', 600);
    await assert.rejects(store.claimSend(sendKeys, sendLimits));
    assert.equal(await store.get(key('cooldown')), null);
    assert.equal(await store.get(key('challenge')), null);
  }),
];

const countAttempt: StoreContractCase[] = [
  contractCase('countAttempt: counts attempts and the streak, and reads the challenge in the same step', async (store) => {
    await store.set(key('challenge'), 'id-1', 300);
    const first = await store.countAttempt({ ...attemptKeys, challenge: key('challenge') }, windows);
    assert.ok(first.counted, `expected the attempt to be counted, got ${JSON.stringify(first)}`);
    assert.deepEqual([first.attempts, first.streak, first.challenge?.value], [1, 1, 'id-1']);
    assert.deepEqual(await store.countAttempt(attemptKeys, windows), { counted: true, attempts: 2, streak: 2, challenge: null });
  }),
  contractCase('countAttempt: gives 1..50 to 50 parallel callers', async (store) => {
    const counts = await Promise.all(range(50).map(() => store.countAttempt(attemptKeys, windows)));
    const attempts = counts.map((count) => (count.counted ? count.attempts : 0)).sort((a, b) => a - b);
    assert.deepEqual(
      attempts,
      range(50).map((i) => i + 1),
    );
  }),
  contractCase('countAttempt: counts nothing while locked out', async (store) => {
    await store.set(key('lockout'), 'held', 900);
    const count = await store.countAttempt(attemptKeys, windows);
    assert.ok(!count.counted, `expected no count while locked out, got ${JSON.stringify(count)}`);
    assert.equal(count.lockout.value, 'held');
    assert.equal(await store.get(key('attempts')), null);
    assert.equal(await store.get(key('streak')), null);
  }),
  contractCase('countAttempt: keeps the attempt window from the first attempt and renews the streak on each', async (store) => {
    await store.countAttempt(attemptKeys, { attemptsSeconds: 100, streakSeconds: 200 });
    await store.countAttempt(attemptKeys, { attemptsSeconds: 10_000, streakSeconds: 50_000 });
    atMost(present(await store.get(key('attempts')), 'the attempts').ttlMs, 100_000, 'ttlMs of the attempts window opened for 100 s');
    above(present(await store.get(key('streak')), 'the streak').ttlMs, 200_000, 'ttlMs of the streak renewed for 50 000 s');
  }),
  contractCase('countAttempt: fails, counting nothing, when a counter is not a number', async (store) => {
    await store.set(key('streak'), 'garbage', 600);
    await assert.rejects(store.countAttempt(attemptKeys, windows));
    assert.equal(await store.get(key('attempts')), null);
  }),
];

const lock: StoreContractCase[] = [
  contractCase('lock: locks, and pins the attempt count for exactly as long', async (store) => {
    await store.set(key('attempts'), '2', 3600);
    const standing = await store.lock(
      { lockout: key('lockout'), attempts: key('attempts') },
      { reason: 'attempts_exhausted', seconds: 900, pinAttempts: 5 },
    );
    assert.equal(standing.value, 'attempts_exhausted');
    atMost(standing.ttlMs, 900_000, 'ttlMs of a 900 s lockout');
    above(standing.ttlMs, 890_000, 'ttlMs of a 900 s lockout');
    const attempts = present(await store.get(key('attempts')), 'the pinned attempts');
    assert.equal(attempts.value, '5');
    atMost(attempts.ttlMs, 900_000, 'ttlMs of the pinned attempts');
  }),
  contractCase(
    'lock: only ever extends, so a shorter lockout leaves a longer one, its reason and the pinned count alone',
    async (store) => {
      await store.lock(
        { lockout: key('lockout'), attempts: key('attempts') },
        { reason: 'attempts_exhausted', seconds: 900, pinAttempts: 5 },
      );
      const standing = await store.lock({ lockout: key('lockout') }, { reason: 'provider_rate_limited', seconds: 30 });
      assert.equal(standing.value, 'attempts_exhausted');
      above(standing.ttlMs, 800_000, 'ttlMs of the 900 s lockout after a 30 s one');
      assert.equal((await store.get(key('lockout')))?.value, 'attempts_exhausted');
      above(present(await store.get(key('attempts')), 'the pinned attempts').ttlMs, 800_000, 'ttlMs of the pinned attempts');
    },
  ),
  contractCase('lock: a longer lockout replaces a shorter one', async (store) => {
    await store.lock({ lockout: key('lockout') }, { reason: 'provider_rate_limited', seconds: 30 });
    const standing = await store.lock({ lockout: key('lockout') }, { reason: 'held', seconds: 86_400 });
    assert.equal(standing.value, 'held');
    above(standing.ttlMs, 30_000, 'ttlMs of the day-long lockout');
  }),
  contractCase('lock: of parallel lockouts of different lengths, the longest stands', async (store) => {
    const lengths = [30, 900, 120, 60, 1800, 10];
    await Promise.all(lengths.map((seconds) => store.lock({ lockout: key('lockout') }, { reason: `r${seconds}`, seconds })));
    const standing = present(await store.get(key('lockout')), 'the lockout');
    assert.equal(standing.value, 'r1800');
    above(standing.ttlMs, 900_000, 'ttlMs of the 1800 s lockout');
  }),
];

export const stepCases: readonly StoreContractCase[] = [...claimSend, ...countAttempt, ...lock];

/** The cases of `MfaMapStore`, the optional part. */
export const mapCases: readonly StoreContractCase[] = [maps];
