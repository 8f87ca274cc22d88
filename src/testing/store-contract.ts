// Checks that a store keeps the MfaStore contract (the built-in stores pass it; so must yours), in any test framework.
import { basicCases } from './store-contract-basics';
import type { StoreContractCase, StoreFactory } from './store-contract-case';
import { mapCases, stepCases } from './store-contract-steps';
import { budgetCases } from './store-contract-budgets';

export type { StoreContractCase, StoreFactory } from './store-contract-case';

/**
 * Every case of the contract: the atomic steps the flow counts on (one winner of many parallel
 * consumes, counts without gaps, lockouts that only grow, send budgets), TTLs, stores kept apart, and last the
 * maps of `MfaMapStore` (through which the budget cases also read the buckets). Run them one per test in your framework:
 * `for (const c of storeContractCases) it(c.name, () => c.run(makeStore))`.
 */
export const storeContractCases: readonly StoreContractCase[] = [...basicCases, ...stepCases, ...budgetCases, ...mapCases];

export interface StoreContractOptions {
  /** The cases to run. Default: `storeContractCases`, all of them. */
  cases?: readonly StoreContractCase[];
  /** A case whose store calls have not settled after this long fails (a hung store is a failure too). Default: 10 000 ms. */
  caseTimeoutMs?: number;
}

export interface StoreContractReport {
  /** Names of the cases that passed, in the order they ran. */
  passed: string[];
  /** The cases that failed, each with its error's message. */
  failed: { name: string; error: string }[];
}

/** Thrown by `checkStoreContract` when a case failed: `errors` holds each case's error, `report` all results. */
export class StoreContractError extends AggregateError {
  readonly report: StoreContractReport;

  constructor(report: StoreContractReport, errors: unknown[]) {
    const list = report.failed.map((failure) => `\n- ${failure.name}: ${failure.error}`).join('');
    super(errors, `The store fails ${report.failed.length} of ${report.failed.length + report.passed.length} contract cases:${list}`);
    this.name = 'StoreContractError';
    this.report = report;
  }
}

/**
 * Runs the MfaStore contract against your store, one case after another, each on a store of its own
 * from `makeStore` (give each a fresh key prefix, and delete those keys afterwards). Uses
 * `node:assert` only, so it works under any test runner or none; three cases wait 1.1 s for a TTL.
 *
 * Resolves with the report when every case passed. When any failed, rejects with a
 * `StoreContractError` (an `AggregateError`) whose message lists each failed case and its error, so
 * `await checkStoreContract(makeStore)` is a whole test; its `report` property has the full results.
 */
export async function checkStoreContract(makeStore: StoreFactory, options: StoreContractOptions = {}): Promise<StoreContractReport> {
  if (typeof makeStore !== 'function') {
    throw new TypeError(
      'checkStoreContract(makeStore) needs a function that returns a new store, e.g. `() => redisStore(client, { prefix: freshPrefix() })`.',
    );
  }
  const cases = options.cases ?? storeContractCases;
  const timeoutMs = options.caseTimeoutMs ?? 10_000;
  const report: StoreContractReport = { passed: [], failed: [] };
  const errors: unknown[] = [];
  for (const contractCase of cases) {
    try {
      await withTimeout(contractCase.run(makeStore), timeoutMs);
      report.passed.push(contractCase.name);
    } catch (error) {
      report.failed.push({ name: contractCase.name, error: error instanceof Error ? error.message : String(error) });
      errors.push(error);
    }
  }
  if (report.failed.length > 0) throw new StoreContractError(report, errors);
  return report;
}

async function withTimeout(work: Promise<void>, ms: number): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`did not settle within ${ms} ms`)), ms);
  });
  try {
    await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
