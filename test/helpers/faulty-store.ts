// Wraps a real store so that chosen operations fail (throw, or answer nonsense), to check the flow fails closed.
import type { MfaMapStore, MfaStore } from '../../src';
import { MAP_STORE_METHODS, STORE_METHODS } from '../../src/stores/types';

export type StoreOperation = (typeof STORE_METHODS)[number] | (typeof MAP_STORE_METHODS)[number];

export interface FaultyStore extends MfaStore, MfaMapStore {
  /** Operations that throw from now on. */
  failing: Set<StoreOperation>;
  /** Operations that resolve to this value instead of the real answer (a broken custom store). */
  answers: Map<StoreOperation, unknown>;
  /** Calls seen per operation, failing ones included. */
  calls: StoreOperation[];
}

export function faultyStore(inner: MfaStore & MfaMapStore): FaultyStore {
  const failing = new Set<StoreOperation>();
  const answers = new Map<StoreOperation, unknown>();
  const calls: StoreOperation[] = [];
  const wrap = <K extends StoreOperation>(name: K): (MfaStore & MfaMapStore)[K] =>
    (async (...args: unknown[]) => {
      calls.push(name);
      if (failing.has(name)) throw new Error(`simulated store failure in ${name}`);
      if (answers.has(name)) return answers.get(name);
      // A fault in `countSend` must be reached: the claim then leaves the budget to it, as a store without the fast path does.
      if (name === 'claimSend' && (failing.has('countSend') || answers.has('countSend'))) args = args.slice(0, 2);
      // Likewise a fault in `creditSend`: the consuming delete then leaves the credit to it.
      if (name === 'delete' && (failing.has('creditSend') || answers.has('creditSend'))) args = args.slice(0, 2);
      return (inner[name] as (...a: unknown[]) => Promise<unknown>)(...args);
    }) as (MfaStore & MfaMapStore)[K];
  const store = { failing, answers, calls } as FaultyStore;
  for (const name of [...STORE_METHODS, ...MAP_STORE_METHODS]) (store as unknown as Record<string, unknown>)[name] = wrap(name);
  return store;
}
