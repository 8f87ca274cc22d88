// What one case of the store contract is, and the small assertions the cases share (node:assert, no test framework).
import { AssertionError } from 'node:assert';
import type { MfaStore } from '../stores/types';

/** Gives a new store that sees none of the keys of the stores it gave before (e.g. a fresh Redis prefix). */
export type StoreFactory = () => MfaStore | Promise<MfaStore>;

export interface StoreContractCase {
  /** The method and the behaviour, e.g. `consume: is true for exactly one of 20 parallel callers, and the key is gone`. */
  readonly name: string;
  /** Makes its own store(s) with `makeStore` and rejects, with a message saying what differed, when the behaviour is missing. */
  run(makeStore: StoreFactory): Promise<void>;
}

export function contractCase(name: string, body: (store: MfaStore, makeStore: StoreFactory) => Promise<void>): StoreContractCase {
  return { name, run: async (makeStore) => body(await makeStore(), makeStore) };
}

/** Hash-tagged like the flow's keys, so a Redis-backed store sees the key shapes it will see in production. */
export const key = (name: string): string => `{u:contract}:${name}`;

export const range = (n: number): number[] => Array.from({ length: n }, (_, i) => i);

function fail(message: string, actual: unknown, expected: unknown, operator: string): never {
  throw new AssertionError({ message, actual, expected, operator });
}

export function present<T>(value: T | null | undefined, what: string): T {
  if (value === null || value === undefined) fail(`${what}: expected a value, got ${String(value)}`, value, 'a value', 'present');
  return value;
}

export function atMost(actual: number | undefined, max: number, what: string): void {
  if (!(typeof actual === 'number' && actual <= max)) fail(`${what}: expected at most ${max}, got ${String(actual)}`, actual, max, '<=');
}

export function above(actual: number | undefined, min: number, what: string): void {
  if (!(typeof actual === 'number' && actual > min)) fail(`${what}: expected more than ${min}, got ${String(actual)}`, actual, min, '>');
}
