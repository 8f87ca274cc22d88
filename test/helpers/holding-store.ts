// A memory store that can hold a send in the middle of its work (its turn taken), for the tests of `workConcurrency`.
import { memoryStore, type MfaStore } from '../../src';

/** A store whose next `claimSend` waits until `release()`: a send held in the middle of its work, holding its turn. */
export function holdingStore(): { store: MfaStore; holdNextClaim(): Promise<void>; release(): void } {
  const inner = memoryStore();
  let armed: { reached: () => void } | undefined;
  let waiting: Array<() => void> = [];
  const store: MfaStore = {
    ...inner,
    async claimSend(...args) {
      const hold = armed;
      armed = undefined;
      if (hold) {
        hold.reached();
        await new Promise<void>((resolve) => waiting.push(resolve));
      }
      return inner.claimSend(...args);
    },
  };
  return {
    store,
    holdNextClaim: () => new Promise<void>((reached) => (armed = { reached })),
    release() {
      for (const resolve of waiting) resolve();
      waiting = [];
    },
  };
}
