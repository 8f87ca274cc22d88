// The memory store: the shared contract, plus what only a clock under test control and NODE_ENV can show.
import { memoryStore, type MemoryStoreOptions } from '../../src/stores/memory';
import { describeStoreContract } from './store-contract';
import { countAttempt } from '../helpers/attempts';

describeStoreContract('memoryStore', () => memoryStore());

describe('memoryStore on a hand-moved clock', () => {
  let t = 1_000_000;
  const clock = () => t;
  beforeEach(() => {
    t = 1_000_000;
  });

  it('reports the exact time left and forgets the key the moment it expires', async () => {
    const store = memoryStore({ now: clock });
    await store.set('k', 'v', 2);
    t += 1999;
    expect(await store.get('k')).toEqual({ value: 'v', ttlMs: 1 });
    t += 1;
    expect(await store.get('k')).toBeNull();
  });

  it("does not move the attempt counter's expiry on later attempts", async () => {
    const store = memoryStore({ now: clock });
    await countAttempt(store, 'n', 10);
    t += 4000;
    await countAttempt(store, 'n', 10);
    expect(await store.get('n:attempts')).toEqual({ value: '2', ttlMs: 6000 });
    t += 6000;
    expect(await countAttempt(store, 'n', 10)).toBe(1);
  });

  it('lets set-if-absent win again and compare-and-delete miss once the key expired', async () => {
    const store = memoryStore({ now: clock });
    await store.set('challenge', 'id', 5);
    t += 5000;
    expect(await store.delete(['challenge'], 'id')).toBe(false);
    expect(await store.set('challenge', 'id-2', 5, true)).toBe(true);
  });

  it('refuses a sweep interval that would spin', () => {
    expect(() => memoryStore({ sweepIntervalMs: 0 })).toThrow(TypeError);
  });
});

describe('memoryStore in production', () => {
  const savedEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = savedEnv;
  });

  // A fresh copy of the module each time, because the warning is once per process.
  async function freshMemoryStore(): Promise<(options?: MemoryStoreOptions) => unknown> {
    let factory: ((options?: MemoryStoreOptions) => unknown) | undefined;
    jest.isolateModules(() => {
      // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS copy; `import()` would load it as ESM under node16.
      factory = (require('../../src/stores/memory') as typeof import('../../src/stores/memory')).memoryStore;
    });
    return factory!;
  }

  it('warns once that counters are per process and lost on restart', async () => {
    process.env.NODE_ENV = 'production';
    const make = await freshMemoryStore();
    const warn = jest.fn();
    make({ logger: { warn } });
    make({ logger: { warn } });
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[0]).toMatch(/not shared across instances/);
    expect(warn.mock.calls[0]?.[0]).toMatch(/redisStore/);
  });

  it('stays quiet outside production', async () => {
    process.env.NODE_ENV = 'development';
    const warn = jest.fn();
    (await freshMemoryStore())({ logger: { warn } });
    expect(warn).not.toHaveBeenCalled();
  });
});
