// The shipped store contract (express-bandwidth-mfa/testing) as jest tests: one test per case, so a failure names its behaviour.
import { storeContractCases, type StoreFactory } from '../../src/testing';

/** `makeStore` must give a store that sees none of the keys of the stores it gave before. */
export function describeStoreContract(name: string, makeStore: StoreFactory): void {
  describe(`${name} meets the MfaStore contract`, () => {
    for (const contractCase of storeContractCases) {
      it(contractCase.name, () => contractCase.run(makeStore));
    }
  });
}
