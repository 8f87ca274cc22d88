// checkStoreContract, as a user runs it: every case passes on a good store, and a broken store is caught by the cases named for its fault.
import { memoryStore } from '../../src/stores/memory';
import type { MfaMapStore, MfaStore, StoredValue } from '../../src/stores/types';
import { checkStoreContract, storeContractCases, StoreContractError, type StoreContractReport } from '../../src/testing';

/** The report of a run that must fail, taken from the error it rejects with. */
async function failingReport(run: Promise<StoreContractReport>): Promise<{ error: StoreContractError; report: StoreContractReport }> {
  const error = await run.then(
    () => undefined,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(StoreContractError);
  expect(error).toBeInstanceOf(AggregateError);
  const failure = error as StoreContractError;
  return { error: failure, report: failure.report };
}

/** A lock that overwrites, so a short lockout (a late provider 429) cuts a long one short. */
function storeWithOverwritingLock(): MfaStore {
  const store = memoryStore();
  return {
    ...store,
    async lock(keys, request): Promise<StoredValue> {
      await store.set(keys.lockout, request.reason, request.seconds);
      if (keys.attempts !== undefined && request.pinAttempts !== undefined)
        await store.set(keys.attempts, String(request.pinAttempts), request.seconds);
      return (await store.get(keys.lockout)) as StoredValue;
    },
  };
}

/** A compare-and-delete that reads, then deletes in a second step: parallel callers all read the value first. */
function storeWithTwoStepConsume(): MfaStore {
  const store = memoryStore();
  return {
    ...store,
    async delete(keys, expected) {
      if (expected !== undefined && (await store.get(keys[0] ?? ''))?.value !== expected) return false;
      return store.delete(keys);
    },
  };
}

describe('checkStoreContract', () => {
  test('passes every case on the memory store and lists them', async () => {
    const report = await checkStoreContract(() => memoryStore());
    expect(report.failed).toEqual([]);
    expect(report.passed).toEqual(storeContractCases.map((contractCase) => contractCase.name));
    expect(report.passed.length).toBeGreaterThanOrEqual(39);
  });

  test('catches a lock that overwrites instead of extending, by the two cases about extending', async () => {
    const { error, report } = await failingReport(checkStoreContract(storeWithOverwritingLock));
    expect(report.failed.map((failure) => failure.name)).toEqual([
      'lock: only ever extends, so a shorter lockout leaves a longer one, its reason and the pinned count alone',
      'lock: of parallel lockouts of different lengths, the longest stands',
    ]);
    expect(report.passed).toHaveLength(storeContractCases.length - 2);
    expect(report.failed[0]?.error).toMatch(/provider_rate_limited/);
    expect(error.errors).toHaveLength(2);
    expect(error.message).toContain('fails 2 of');
    expect(error.message).toContain('- lock: of parallel lockouts of different lengths, the longest stands');
  });

  test('catches a consume that is not atomic, by the parallel-callers case', async () => {
    const { report } = await failingReport(checkStoreContract(storeWithTwoStepConsume));
    expect(report.failed).toEqual([
      {
        name: 'delete with an expected value: is true for exactly one of 20 parallel callers, and the key is gone',
        error: expect.stringMatching(/exactly one caller to consume, got 20/),
      },
      {
        name: 'delete with a credit: a store that credits in the consuming step answers "credited" once; a caller that consumes nothing credits nothing',
        error: expect.stringMatching(/exactly one caller consumes/),
      },
    ]);
  });

  test('fails a case whose store call never settles, after caseTimeoutMs', async () => {
    const hung: MfaStore & MfaMapStore = { ...memoryStore(), mapGetAll: () => new Promise(() => undefined) };
    const maps = storeContractCases.filter(
      (contractCase) => contractCase.name.startsWith('maps:') || contractCase.name.startsWith('delete: '),
    );
    const { report } = await failingReport(checkStoreContract(() => hung, { cases: maps, caseTimeoutMs: 200 }));
    expect(report.passed).toEqual(
      maps.filter((contractCase) => contractCase.name.startsWith('delete: ')).map((contractCase) => contractCase.name),
    );
    expect(report.failed).toEqual([{ name: 'maps: set, read, list and delete fields', error: 'did not settle within 200 ms' }]);
  });

  test('refuses a store instead of a function that makes one', async () => {
    await expect(checkStoreContract(memoryStore() as unknown as () => MfaStore)).rejects.toThrow(
      /needs a function that returns a new store/,
    );
  });
});
