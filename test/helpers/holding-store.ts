// A memory store that can hold a send in the middle of its work (its turn taken), for the tests of `workConcurrency`.
import type { Express } from 'express';
import type request from 'supertest';
import { memoryStore, type MfaStore } from '../../src';
import { login, send } from './flow';

export interface HoldingStore {
  store: MfaStore;
  /** Starts `cookie`'s send on `app` and resolves once it is held in its work, turn taken; `answer` settles after `release()`. */
  sendHeld(app: Express, cookie: string): Promise<{ answer: Promise<request.Response> }>;
  release(): void;
}

/** A store that holds the next `claimSend` until `release()`: a send held in the middle of its work, holding its turn. */
export function holdingStore(): HoldingStore {
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
  const holdNextClaim = () => new Promise<void>((reached) => (armed = { reached }));
  return {
    store,
    async sendHeld(app, cookie) {
      const reached = holdNextClaim();
      const answer = send(app, cookie).then((res) => res);
      await reached;
      return { answer };
    },
    release() {
      for (const resolve of waiting) resolve();
      waiting = [];
    },
  };
}

/**
 * An app on a holding store with Alice's send held at work (the one turn taken) and Bob signed in beside her;
 * `aliceSend` settles after `held.release()`.
 */
export async function aliceHoldsTheTurn(appOn: (store: MfaStore) => Express) {
  const held = holdingStore();
  const app = appOn(held.store);
  const alice = await login(app, 'alice');
  const bob = await login(app, 'bob');
  const aliceSend = (await held.sendHeld(app, alice)).answer;
  return { held, app, alice, bob, aliceSend };
}
