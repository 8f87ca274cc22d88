// One behaviour suite every MfaStore must pass; run against the memory store and against real Redis.
import type { MfaStore } from '../../src/stores/types';
import { describeFlowSteps } from './store-contract-steps';

/** `makeStore` must give a store that sees none of the keys of the stores it gave before. */
export type MakeStore = () => MfaStore | Promise<MfaStore>;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const range = (n: number) => Array.from({ length: n }, (_, i) => i);
// Hash-tagged like the flow's keys, so the Redis run exercises the same key shapes.
const key = (name: string) => `{u:contract}:${name}`;

export function describeStoreContract(name: string, makeStore: MakeStore): void {
  describe(`${name} meets the MfaStore contract`, () => {
    let store: MfaStore;
    beforeEach(async () => {
      store = await makeStore();
    });

    describe('increment', () => {
      it('counts up from 1 on a fresh key', async () => {
        expect(await store.increment(key('n'), 60)).toBe(1);
        expect(await store.increment(key('n'), 60)).toBe(2);
        expect(await store.increment(key('n'), 60)).toBe(3);
        expect((await store.get(key('n')))?.value).toBe('3');
      });

      it('keeps the TTL of the first increment: retrying never extends the window', async () => {
        await store.increment(key('n'), 100);
        const first = await store.get(key('n'));
        await store.increment(key('n'), 10_000);
        await store.increment(key('n'), 10_000);
        const later = await store.get(key('n'));
        expect(first?.ttlMs).toBeGreaterThan(0);
        expect(later?.ttlMs).toBeGreaterThan(0);
        expect(later!.ttlMs).toBeLessThanOrEqual(first!.ttlMs);
        expect(later!.ttlMs).toBeLessThanOrEqual(100_000);
      });

      it('returns exactly 1..100 to 100 parallel callers', async () => {
        const counts = await Promise.all(range(100).map(() => store.increment(key('race'), 60)));
        expect([...counts].sort((a, b) => a - b)).toEqual(range(100).map((i) => i + 1));
      });

      it('starts again from 1 once the window has expired', async () => {
        await store.increment(key('n'), 1);
        await store.increment(key('n'), 1);
        await sleep(1100);
        expect(await store.increment(key('n'), 60)).toBe(1);
      });

      it('rejects a key that holds something other than a number', async () => {
        await store.set(key('text'), 'not-a-number', 60);
        await expect(store.increment(key('text'), 60)).rejects.toThrow();
        expect((await store.get(key('text')))?.value).toBe('not-a-number');
      });
    });

    describe('setIfAbsent', () => {
      it('is true for exactly one of 50 parallel callers, and the winner\'s value is kept', async () => {
        const results = await Promise.all(range(50).map((i) => store.setIfAbsent(key('once'), `caller-${i}`, 60)));
        const winners = results.flatMap((won, i) => (won ? [i] : []));
        expect(winners).toHaveLength(1);
        expect((await store.get(key('once')))?.value).toBe(`caller-${winners[0]}`);
      });

      it('leaves an existing value and TTL alone', async () => {
        await store.set(key('k'), 'first', 5);
        expect(await store.setIfAbsent(key('k'), 'second', 1000)).toBe(false);
        const stored = await store.get(key('k'));
        expect(stored?.value).toBe('first');
        expect(stored!.ttlMs).toBeLessThanOrEqual(5000);
      });

      it('succeeds again once the key has expired', async () => {
        expect(await store.setIfAbsent(key('k'), 'a', 1)).toBe(true);
        await sleep(1100);
        expect(await store.setIfAbsent(key('k'), 'b', 60)).toBe(true);
        expect((await store.get(key('k')))?.value).toBe('b');
      });
    });

    describe('set and get', () => {
      it('returns null for a key never set', async () => {
        expect(await store.get(key('nothing'))).toBeNull();
      });

      it('returns the value with its remaining life', async () => {
        await store.set(key('k'), 'v', 30);
        const stored = await store.get(key('k'));
        expect(stored?.value).toBe('v');
        expect(stored!.ttlMs).toBeGreaterThan(0);
        expect(stored!.ttlMs).toBeLessThanOrEqual(30_000);
      });

      it('set replaces both the value and the TTL', async () => {
        await store.set(key('k'), 'old', 1000);
        await store.set(key('k'), 'new', 5);
        const stored = await store.get(key('k'));
        expect(stored?.value).toBe('new');
        expect(stored!.ttlMs).toBeGreaterThan(0);
        expect(stored!.ttlMs).toBeLessThanOrEqual(5000);
      });

      it('returns null once the TTL has passed', async () => {
        await store.set(key('k'), 'v', 1);
        expect(await store.get(key('k'))).not.toBeNull();
        await sleep(1100);
        expect(await store.get(key('k'))).toBeNull();
      });

      it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])('refuses a TTL of %p seconds', async (ttl) => {
        await expect(store.set(key('k'), 'v', ttl)).rejects.toThrow(RangeError);
        await expect(store.setIfAbsent(key('k'), 'v', ttl)).rejects.toThrow(RangeError);
        await expect(store.increment(key('k'), ttl)).rejects.toThrow(RangeError);
        expect(await store.get(key('k'))).toBeNull();
      });
    });

    describe('consume', () => {
      it('is true for exactly one of 20 parallel callers, and the key is gone', async () => {
        await store.set(key('challenge'), 'id-1', 60);
        const results = await Promise.all(range(20).map(() => store.consume(key('challenge'), 'id-1')));
        expect(results.filter(Boolean)).toHaveLength(1);
        expect(await store.get(key('challenge'))).toBeNull();
      });

      it('deletes the related keys with it, only when it consumes', async () => {
        await store.set(key('challenge'), 'id-1', 60);
        await store.set(key('attempts'), '3', 60);
        await store.set(key('cooldown'), '1', 60);
        expect(await store.consume(key('challenge'), 'id-other', [key('attempts'), key('cooldown')])).toBe(false);
        expect((await store.get(key('attempts')))?.value).toBe('3');
        expect(await store.consume(key('challenge'), 'id-1', [key('attempts'), key('cooldown'), key('never-set')])).toBe(true);
        expect(await store.get(key('attempts'))).toBeNull();
        expect(await store.get(key('cooldown'))).toBeNull();
      });

      it('is false and deletes nothing when the value differs', async () => {
        await store.set(key('challenge'), 'id-2', 60);
        expect(await store.consume(key('challenge'), 'id-1')).toBe(false);
        expect((await store.get(key('challenge')))?.value).toBe('id-2');
      });

      it('is false when the key is absent', async () => {
        expect(await store.consume(key('absent'), 'id-1')).toBe(false);
      });
    });

    describe('delete', () => {
      it('deletes several keys at once and ignores absent ones', async () => {
        await Promise.all(['a', 'b', 'c'].map((name) => store.set(key(name), name, 60)));
        await store.delete(key('a'), key('b'), key('never-set'));
        expect(await store.get(key('a'))).toBeNull();
        expect(await store.get(key('b'))).toBeNull();
        expect((await store.get(key('c')))?.value).toBe('c');
      });

      it('does nothing when given no keys', async () => {
        await store.set(key('a'), 'a', 60);
        await expect(store.delete()).resolves.toBeUndefined();
        expect((await store.get(key('a')))?.value).toBe('a');
      });
    });

    describeFlowSteps(() => store);

    it('keeps stores apart: one never sees or changes the keys of another', async () => {
      const other = await makeStore();
      await store.set(key('shared-name'), 'mine', 60);
      expect(await other.get(key('shared-name'))).toBeNull();
      expect(await other.increment(key('shared-name'), 60)).toBe(1);
      expect(await other.consume(key('shared-name'), 'mine')).toBe(false);
      await other.delete(key('shared-name'));
      expect((await store.get(key('shared-name')))?.value).toBe('mine');
    });
  });
}
