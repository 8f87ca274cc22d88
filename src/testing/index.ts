// Testing kit: a Bandwidth MFA emulator with fault injection, for this library's tests and yours.
export { startBandwidthEmulator, type BandwidthEmulator, type EmulatorOptions, type SentCode, type RecordedRequest } from './emulator';
export type { FaultSpec, EmulatorEndpoint } from './faults';
export {
  checkStoreContract,
  storeContractCases,
  StoreContractError,
  type StoreContractCase,
  type StoreContractOptions,
  type StoreContractReport,
  type StoreFactory,
} from './store-contract';
