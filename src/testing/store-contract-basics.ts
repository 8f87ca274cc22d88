// The store contract's cases for the basic operations: counters, set-once, set and get, consume, delete, and stores kept apart.
import { strict as assert } from 'node:assert';
import { setTimeout as sleep } from 'node:timers/promises';
import { above, atMost, contractCase, key, present, range, type StoreContractCase } from './store-contract-case';

const increment: StoreContractCase[] = [
  contractCase('increment: counts up from 1 on a fresh key', async (store) => {
    assert.equal(await store.increment(key('n'), 60), 1);
    assert.equal(await store.increment(key('n'), 60), 2);
    assert.equal(await store.increment(key('n'), 60), 3);
    assert.equal((await store.get(key('n')))?.value, '3');
  }),
  contractCase('increment: keeps the TTL of the first increment, so retrying never extends the window', async (store) => {
    await store.increment(key('n'), 100);
    const first = present(await store.get(key('n')), 'the counter after the first increment');
    await store.increment(key('n'), 10_000);
    await store.increment(key('n'), 10_000);
    const later = present(await store.get(key('n')), 'the counter after two more');
    above(first.ttlMs, 0, 'ttlMs after the first increment');
    above(later.ttlMs, 0, 'ttlMs after two more');
    atMost(later.ttlMs, first.ttlMs, 'ttlMs after increments asking for 10 000 s (not more than the first one left)');
    atMost(later.ttlMs, 100_000, 'ttlMs of a counter created with 100 s');
  }),
  contractCase('increment: returns exactly 1..100 to 100 parallel callers', async (store) => {
    const counts = await Promise.all(range(100).map(() => store.increment(key('race'), 60)));
    assert.deepEqual([...counts].sort((a, b) => a - b), range(100).map((i) => i + 1));
  }),
  contractCase('increment: starts again from 1 once the window has expired', async (store) => {
    await store.increment(key('n'), 1);
    await store.increment(key('n'), 1);
    await sleep(1100);
    assert.equal(await store.increment(key('n'), 60), 1);
  }),
  contractCase('increment: rejects a key that holds something other than a number, leaving it alone', async (store) => {
    await store.set(key('text'), 'not-a-number', 60);
    await assert.rejects(store.increment(key('text'), 60));
    assert.equal((await store.get(key('text')))?.value, 'not-a-number');
  }),
];

const setIfAbsent: StoreContractCase[] = [
  contractCase('setIfAbsent: is true for exactly one of 50 parallel callers, and the winner\'s value is kept', async (store) => {
    const results = await Promise.all(range(50).map((i) => store.setIfAbsent(key('once'), `caller-${i}`, 60)));
    const winners = results.flatMap((won, i) => (won ? [i] : []));
    assert.equal(winners.length, 1, `expected exactly one winner, got ${winners.length}`);
    assert.equal((await store.get(key('once')))?.value, `caller-${winners[0]}`);
  }),
  contractCase('setIfAbsent: leaves an existing value and TTL alone', async (store) => {
    await store.set(key('k'), 'first', 5);
    assert.equal(await store.setIfAbsent(key('k'), 'second', 1000), false);
    const stored = present(await store.get(key('k')), 'the key');
    assert.equal(stored.value, 'first');
    atMost(stored.ttlMs, 5000, 'ttlMs of the key set for 5 s');
  }),
  contractCase('setIfAbsent: succeeds again once the key has expired', async (store) => {
    assert.equal(await store.setIfAbsent(key('k'), 'a', 1), true);
    await sleep(1100);
    assert.equal(await store.setIfAbsent(key('k'), 'b', 60), true);
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
  contractCase('set and get: set replaces both the value and the TTL', async (store) => {
    await store.set(key('k'), 'old', 1000);
    await store.set(key('k'), 'new', 5);
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
  ...[0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY].map((ttl) => contractCase(`set and get: set, setIfAbsent and increment refuse a TTL of ${ttl} seconds with a RangeError`, async (store) => {
    await assert.rejects(store.set(key('k'), 'v', ttl), RangeError);
    await assert.rejects(store.setIfAbsent(key('k'), 'v', ttl), RangeError);
    await assert.rejects(store.increment(key('k'), ttl), RangeError);
    assert.equal(await store.get(key('k')), null);
  })),
];

const consume: StoreContractCase[] = [
  contractCase('consume: is true for exactly one of 20 parallel callers, and the key is gone', async (store) => {
    await store.set(key('challenge'), 'id-1', 60);
    const results = await Promise.all(range(20).map(() => store.consume(key('challenge'), 'id-1')));
    assert.equal(results.filter(Boolean).length, 1, `expected exactly one caller to consume, got ${results.filter(Boolean).length}`);
    assert.equal(await store.get(key('challenge')), null);
  }),
  contractCase('consume: deletes the related keys with it, only when it consumes', async (store) => {
    await store.set(key('challenge'), 'id-1', 60);
    await store.set(key('attempts'), '3', 60);
    await store.set(key('cooldown'), '1', 60);
    assert.equal(await store.consume(key('challenge'), 'id-other', [key('attempts'), key('cooldown')]), false);
    assert.equal((await store.get(key('attempts')))?.value, '3');
    assert.equal(await store.consume(key('challenge'), 'id-1', [key('attempts'), key('cooldown'), key('never-set')]), true);
    assert.equal(await store.get(key('attempts')), null);
    assert.equal(await store.get(key('cooldown')), null);
  }),
  contractCase('consume: is false and deletes nothing when the value differs', async (store) => {
    await store.set(key('challenge'), 'id-2', 60);
    assert.equal(await store.consume(key('challenge'), 'id-1'), false);
    assert.equal((await store.get(key('challenge')))?.value, 'id-2');
  }),
  contractCase('consume: is false when the key is absent', async (store) => {
    assert.equal(await store.consume(key('absent'), 'id-1'), false);
  }),
];

const deletion: StoreContractCase[] = [
  contractCase('delete: deletes several keys at once and ignores absent ones', async (store) => {
    await Promise.all(['a', 'b', 'c'].map((name) => store.set(key(name), name, 60)));
    await store.delete(key('a'), key('b'), key('never-set'));
    assert.equal(await store.get(key('a')), null);
    assert.equal(await store.get(key('b')), null);
    assert.equal((await store.get(key('c')))?.value, 'c');
  }),
  contractCase('delete: does nothing when given no keys', async (store) => {
    await store.set(key('a'), 'a', 60);
    assert.equal(await store.delete(), undefined);
    assert.equal((await store.get(key('a')))?.value, 'a');
  }),
];

const isolation = contractCase('stores apart: one store never sees or changes the keys of another', async (store, makeStore) => {
  const other = await makeStore();
  await store.set(key('shared-name'), 'mine', 60);
  assert.equal(await other.get(key('shared-name')), null);
  assert.equal(await other.increment(key('shared-name'), 60), 1);
  assert.equal(await other.consume(key('shared-name'), 'mine'), false);
  await other.delete(key('shared-name'));
  assert.equal((await store.get(key('shared-name')))?.value, 'mine');
});

export const basicCases: readonly StoreContractCase[] = [...increment, ...setIfAbsent, ...setAndGet, ...consume, ...deletion, isolation];
