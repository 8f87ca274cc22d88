// The send budgets of the memory store: the same steps as the Redis scripts, on maps of the process.
import type { BucketOver, SendBudgetCount, SendBudgetKeys, SendBudgetLimits } from './types';
import { checkTtlSeconds } from './ttl';

/** What the memory store lends these steps: its live maps, and its clock. */
export interface MapAccess {
  /** The live map at `key`, undefined when absent or expired; throws on a key of another kind. */
  map(key: string): Map<string, string> | undefined;
  /** A new map at `key` living `ttlMs`. */
  create(key: string, ttlMs: number): Map<string, string>;
  ttlMs(key: string): number;
  keepAtLeast(key: string, ttlMs: number): void;
  drop(key: string): void;
  now(): number;
}

const NOT_AN_INTEGER = 'ERR value is not an integer or out of range';

function field(fields: Map<string, string> | undefined, name: string): number {
  const value = fields?.get(name);
  if (value === undefined) return 0;
  if (!/^-?\d+$/.test(value)) throw new Error(NOT_AN_INTEGER);
  return Number(value);
}

export function budgetSteps(access: MapAccess) {
  function count(key: string, windowSeconds: number): number {
    let fields = access.map(key);
    if (!fields) {
      fields = access.create(key, windowSeconds * 1000);
      fields.set('until', String(access.now() + windowSeconds * 1000));
    }
    const sent = field(fields, 'sent') + 1;
    fields.set('sent', String(sent));
    return sent;
  }

  /** Like HSETNX: true only for the first caller. */
  function flag(key: string, name: string): boolean {
    const fields = access.map(key);
    if (!fields || fields.has(name)) return false;
    fields.set(name, '1');
    return true;
  }

  return {
    countSend(keys: SendBudgetKeys, limits: SendBudgetLimits): SendBudgetCount {
      checkTtlSeconds(limits.numberWindowSeconds);
      checkTtlSeconds(limits.ceilingWindowSeconds);
      for (const bucket of limits.buckets) checkTtlSeconds(bucket.windowSeconds);
      if (limits.buckets.length !== keys.buckets.length) throw new RangeError('countSend: one budget per bucket key');
      // Read (and refuse a broken count) before writing anything, as the Lua script does.
      for (const key of [keys.number, keys.ceiling, ...keys.buckets]) {
        field(access.map(key), 'sent');
        field(access.map(key), 'verified');
      }
      if (field(access.map(keys.number), 'sent') >= limits.numberMax)
        return { counted: false, refusal: 'number_limit', ttlMs: access.ttlMs(keys.number) };
      const allowList = access.map(keys.allowList);
      const known = keys.known === undefined ? false : access.map(keys.known)?.has('known') === true;
      const allowListed = limits.allowListed || known || limits.allowCandidates.some((entry) => allowList?.has(entry) === true);
      const ceilingSent = field(access.map(keys.ceiling), 'sent');
      let ceilingOverFirst: boolean | undefined;
      if (ceilingSent >= limits.ceilingMax) {
        ceilingOverFirst = flag(keys.ceiling, 'flagged');
        if (limits.enforce)
          return { counted: false, refusal: 'ceiling', ttlMs: access.ttlMs(keys.ceiling), sent: ceilingSent, first: ceilingOverFirst };
      }
      const over: BucketOver[] = [];
      const budgets: number[] = [];
      if (!allowListed) {
        keys.buckets.forEach((key, bucket) => {
          const fields = access.map(key);
          const sent = field(fields, 'sent');
          const verified = field(fields, 'verified');
          const budget = limits.buckets[bucket]!;
          const limit = Math.max(budget.unverified, Math.floor(budget.perVerified * verified));
          budgets[bucket] = limit;
          if (sent - verified >= limit) over.push({ bucket, sent, verified, limit, ttlMs: access.ttlMs(key), first: flag(key, 'flagged') });
        });
        if (limits.enforce && over.length > 0) return { counted: false, refusal: 'budget', over };
      }
      count(keys.number, limits.numberWindowSeconds);
      const ceiling = count(keys.ceiling, limits.ceilingWindowSeconds);
      const ceilingWarning = ceiling >= limits.ceilingWarnAt && flag(keys.ceiling, 'warned');
      if (!allowListed) {
        keys.buckets.forEach((key, bucket) => {
          const sent = count(key, limits.buckets[bucket]!.windowSeconds);
          const fields = access.map(key)!;
          if (2 * (sent - field(fields, 'verified')) < budgets[bucket]!) return;
          const index = access.map(keys.index) ?? access.create(keys.index, access.ttlMs(key));
          index.set(key, fields.get('until')!);
          access.keepAtLeast(keys.index, access.ttlMs(key));
        });
      }
      return {
        counted: true,
        allowListed,
        over,
        ceilingSent: ceiling,
        ceilingWarning,
        ...(ceilingOverFirst === undefined ? {} : { ceilingOverFirst }),
      };
    },

    creditSend(keys: string[], outcome: 'verified' | 'unsent', known?: { key: string; ttlSeconds: number }): void {
      if (known) checkTtlSeconds(known.ttlSeconds);
      const live = keys.map((key) => access.map(key));
      for (const fields of live) {
        field(fields, 'sent');
        field(fields, 'verified');
      }
      for (const fields of live) {
        if (!fields) continue;
        const sent = field(fields, 'sent');
        const verified = field(fields, 'verified');
        if (outcome === 'verified' && verified < sent) fields.set('verified', String(verified + 1));
        if (outcome === 'unsent' && sent > 0) fields.set('sent', String(sent - 1));
      }
      if (known && outcome === 'verified') {
        // Each right code renews the record for its whole life, as EXPIRE does.
        access.drop(known.key);
        access.create(known.key, known.ttlSeconds * 1000).set('known', '1');
      }
    },
  };
}
