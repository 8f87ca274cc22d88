// The shared stores: the contract every store meets, and the two that ship.
export type { MfaStore, StoredValue } from './types';
export { redisStore, type RedisStoreOptions, type RedisClientLike } from './redis';
export { memoryStore, type MemoryStoreOptions } from './memory';
