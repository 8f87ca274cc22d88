// The store contract's cases for the basic operations: set (once or again), get, delete (plain or compare-and-delete), and stores kept apart.
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { above, atMost, contractCase, key, present, range, type StoreContractCase } from './store-contract-case';

const setIfAbsent: StoreContractCase[] = [
  contractCase("set only if absent: is true for exactly one of 50 parallel callers, and the winner's value is kept", async (store) => {
    const results = await Promise.all(range(50).map((i) => store.set(key('once'), `caller-${i}`, 60, true)));
    const winners = results.flatMap((won, i) => (won ? [i] : []));
    assert.equal(winners.length, 1, `expected exactly one winner, got ${winners.length}`);
    assert.equal((await store.get(key('once')))?.value, `caller-${winners[0]}`);
  }),
  contractCase('set only if absent: leaves an existing value and TTL alone', async (store) => {
    await store.set(key('k'), 'first', 5);
    assert.equal(await store.set(key('k'), 'second', 1000, true), false);
    const stored = present(await store.get(key('k')), 'the key');
    assert.equal(stored.value, 'first');
    atMost(stored.ttlMs, 5000, 'ttlMs of the key set for 5 s');
  }),
  contractCase('set only if absent: succeeds again once the key has expired', async (store) => {
    assert.equal(await store.set(key('k'), 'a', 1, true), true);
    await sleep(1100);
    assert.equal(await store.set(key('k'), 'b', 60, true), true);
    assert.equal((await store.get(key('k')))?.value, 'b');
  }),
];

const setAndGet: StoreContractCase[] = [
  contractCase('set and get: get returns null for a key never set', async (store) => {
    assert.equal(await store.get(key('nothing')), null);
  }),
  contractCase('set and get: get returns the value with its remaining life', async (store) => {
    await store.set(key('k'), 'v', 30);
    const stored = present(await store.get(key('k')), 'the key');
    assert.equal(stored.value, 'v');
    above(stored.ttlMs, 0, 'ttlMs');
    atMost(stored.ttlMs, 30_000, 'ttlMs of a key set for 30 s');
  }),
  contractCase('set and get: set replaces both the value and the TTL, and says it did', async (store) => {
    await store.set(key('k'), 'old', 1000);
    assert.equal(await store.set(key('k'), 'new', 5), true);
    const stored = present(await store.get(key('k')), 'the key');
    assert.equal(stored.value, 'new');
    above(stored.ttlMs, 0, 'ttlMs');
    atMost(stored.ttlMs, 5000, 'ttlMs after setting again for 5 s');
  }),
  contractCase('set and get: get returns null once the TTL has passed', async (store) => {
    await store.set(key('k'), 'v', 1);
    assert.notEqual(await store.get(key('k')), null);
    await sleep(1100);
    assert.equal(await store.get(key('k')), null);
  }),
  ...[0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY].map((ttl) =>
    contractCase(`set and get: set, only if absent or not, refuses a TTL of ${ttl} seconds with a RangeError`, async (store) => {
      await assert.rejects(store.set(key('k'), 'v', ttl), RangeError);
      await assert.rejects(store.set(key('k'), 'v', ttl, true), RangeError);
      assert.equal(await store.get(key('k')), null);
    }),
  ),
];

const consume: StoreContractCase[] = [
  contractCase('delete with an expected value: is true for exactly one of 20 parallel callers, and the key is gone', async (store) => {
    await store.set(key('challenge'), 'id-1', 60);
    const results = await Promise.all(range(20).map(() => store.delete([key('challenge')], 'id-1')));
    assert.equal(results.filter(Boolean).length, 1, `expected exactly one caller to consume, got ${results.filter(Boolean).length}`);
    assert.equal(await store.get(key('challenge')), null);
  }),
  contractCase('delete with an expected value: deletes the related keys with it, only when the first key holds it', async (store) => {
    await store.set(key('challenge'), 'id-1', 60);
    await store.set(key('attempts'), '3', 60);
    await store.set(key('cooldown'), '1', 60);
    assert.equal(await store.delete([key('challenge'), key('attempts'), key('cooldown')], 'id-other'), false);
    assert.equal((await store.get(key('attempts')))?.value, '3');
    assert.equal(await store.delete([key('challenge'), key('attempts'), key('cooldown'), key('never-set')], 'id-1'), true);
    assert.equal(await store.get(key('attempts')), null);
    assert.equal(await store.get(key('cooldown')), null);
  }),
  contractCase('delete with an expected value: is false and deletes nothing when the value differs', async (store) => {
    await store.set(key('challenge'), 'id-2', 60);
    assert.equal(await store.delete([key('challenge')], 'id-1'), false);
    assert.equal((await store.get(key('challenge')))?.value, 'id-2');
  }),
  contractCase('delete with an expected value: is false when the key is absent', async (store) => {
    assert.equal(await store.delete([key('absent')], 'id-1'), false);
  }),
];

const deletion: StoreContractCase[] = [
  contractCase('delete: deletes several keys at once and ignores absent ones', async (store) => {
    await Promise.all(['a', 'b', 'c'].map((name) => store.set(key(name), name, 60)));
    assert.equal(await store.delete([key('a'), key('b'), key('never-set')]), true);
    assert.equal(await store.get(key('a')), null);
    assert.equal(await store.get(key('b')), null);
    assert.equal((await store.get(key('c')))?.value, 'c');
  }),
  contractCase('delete: does nothing when given no keys', async (store) => {
    await store.set(key('a'), 'a', 60);
    assert.equal(await store.delete([]), true);
    assert.equal((await store.get(key('a')))?.value, 'a');
  }),
];

const isolation = contractCase('stores apart: one store never sees or changes the keys of another', async (store, makeStore) => {
  const other = await makeStore();
  await store.set(key('shared-name'), 'mine', 60);
  assert.equal(await other.get(key('shared-name')), null);
  assert.equal(await other.delete([key('shared-name')], 'mine'), false);
  assert.equal(await other.set(key('shared-name'), 'theirs', 60, true), true);
  await other.delete([key('shared-name')]);
  assert.equal((await store.get(key('shared-name')))?.value, 'mine');
});

export const basicCases: readonly StoreContractCase[] = [...setIfAbsent, ...setAndGet, ...consume, ...deletion, isolation];
