// What an operator sees and does about the send budgets: buckets near or over budget, a reset, the allow-list kept in the store.
import type { MfaConfig } from '../options';
import { parseAllowEntry } from '../budgets/allow-list';
import { ALLOW_LIST_KEY, CEILING_BUCKET, CEILING_KEY, INDEX_KEY, bucketKey, bucketOfKey, budgetOf, isBucketName } from '../budgets/buckets';
import type { OperatorOptions } from './operations';
import { mapsOf } from '../stores/maps';
import type { MfaMapStore } from '../stores/types';
import { LOG_PREFIX } from '../log-prefix';

const maps = (config: MfaConfig): MfaMapStore => mapsOf(config.store, "The send budgets' operator tools");

/** A bucket near (half) or over its budget, or the ceiling past its warning. */
export interface SendBudget {
  /** `country:LV`, `prefix:+371200000`, `address:203.0.113.7`, `address:2001:db8:1:2::/64`, or `ceiling`. */
  bucket: string;
  sent: number;
  verified: number;
  /** The unverified sends the bucket may hold now (it grows with `verified`); for the ceiling, its `maxSends`. */
  limit: number;
  /** True when the bucket refuses sends (in enforce mode) until its window ends or codes are verified. */
  over: boolean;
  /** Seconds until the window ends and the counts start over (by this host's clock). */
  resetsInSeconds: number;
}

export interface SendBudgetAllowEntry {
  /** Canonical: `US`, `+4420`, `203.0.113.0/24`, `2001:db8::/48`. */
  entry: string;
  /** `options` (from `sendBudgets.allow`, changed by redeploying) or `store` (added at run time, seen by every instance). */
  source: 'options' | 'store';
  addedAt?: Date;
  actor?: string;
}

/** Kept until removed: the store's maps need a life, this one is ten years. */
const ALLOW_LIST_TTL_SECONDS = 10 * 365 * 86_400;

function countOf(fields: Record<string, string>, name: string): number {
  const value = Number(fields[name] ?? 0);
  return Number.isSafeInteger(value) && value >= 0 ? value : 0;
}

function resetsIn(fields: Record<string, string>): number {
  const until = Number(fields.until);
  return Number.isFinite(until) ? Math.max(0, Math.ceil((until - Date.now()) / 1000)) : 0;
}

export async function listSendBudgets(config: MfaConfig): Promise<SendBudget[]> {
  const listed: SendBudget[] = [];
  for (const key of Object.keys(await maps(config).mapGetAll(INDEX_KEY))) {
    const bucket = bucketOfKey(key);
    const budget = bucket === undefined ? undefined : budgetOf(config, bucket);
    const fields = await maps(config).mapGetAll(key);
    // The bucket's window ended: drop it from the index as well.
    if (!budget || bucket === undefined || fields.sent === undefined) {
      await maps(config).mapDelete(INDEX_KEY, key);
      continue;
    }
    const sent = countOf(fields, 'sent');
    const verified = countOf(fields, 'verified');
    const limit = Math.max(budget.unverified, Math.floor(budget.perVerified * verified));
    if (2 * (sent - verified) < limit) continue;
    listed.push({ bucket, sent, verified, limit, over: sent - verified >= limit, resetsInSeconds: resetsIn(fields) });
  }
  const ceiling = await maps(config).mapGetAll(CEILING_KEY);
  const ceilingSent = countOf(ceiling, 'sent');
  if (ceilingSent >= config.sendBudgets.ceiling.warnAt) {
    const limit = config.sendBudgets.ceiling.maxSends;
    listed.push({
      bucket: CEILING_BUCKET,
      sent: ceilingSent,
      verified: 0,
      limit,
      over: ceilingSent >= limit,
      resetsInSeconds: resetsIn(ceiling),
    });
  }
  const room = (b: SendBudget) => b.limit - (b.sent - b.verified);
  return listed.sort((a, b) => Number(b.over) - Number(a.over) || room(a) - room(b));
}

function checkBucket(operation: string, bucket: unknown): asserts bucket is string {
  if (!isBucketName(bucket)) {
    throw new TypeError(
      `${LOG_PREFIX}\`${operation}(bucket)\` needs a bucket name as \`listSendBudgets()\` or a \`send_budget_exceeded\` event gives it, such as "country:LV", "prefix:+371200000", "address:203.0.113.7" or "ceiling".`,
    );
  }
}

export async function resetSendBudget(config: MfaConfig, bucket: string): Promise<boolean> {
  checkBucket('resetSendBudget', bucket);
  const key = bucketKey(bucket);
  const had = (await maps(config).mapGetAll(key)).sent !== undefined;
  await config.store.delete([key]);
  await maps(config).mapDelete(INDEX_KEY, key);
  return had;
}

export async function allowSendBudget(config: MfaConfig, entry: string, options?: OperatorOptions): Promise<string> {
  const canonical = parseAllowEntry(entry);
  const actor = options?.actor;
  if (actor !== undefined && (typeof actor !== 'string' || actor === '' || actor.length > 200)) {
    throw new TypeError(LOG_PREFIX + '`actor` must be a non-empty string of at most 200 characters naming who acted.');
  }
  await maps(config).mapSet(
    ALLOW_LIST_KEY,
    canonical,
    JSON.stringify({ at: Date.now(), ...(actor ? { actor } : {}) }),
    ALLOW_LIST_TTL_SECONDS,
  );
  return canonical;
}

export async function disallowSendBudget(config: MfaConfig, entry: string): Promise<boolean> {
  return maps(config).mapDelete(ALLOW_LIST_KEY, parseAllowEntry(entry));
}

export async function listSendBudgetAllowList(config: MfaConfig): Promise<SendBudgetAllowEntry[]> {
  const fromOptions = config.sendBudgets.allow.map((entry): SendBudgetAllowEntry => ({ entry, source: 'options' }));
  const stored = Object.entries(await maps(config).mapGetAll(ALLOW_LIST_KEY)).map(([entry, raw]): SendBudgetAllowEntry => {
    let record: { at?: unknown; actor?: unknown } = {};
    try {
      record = JSON.parse(raw) as typeof record;
    } catch {
      // A record we did not write: the entry still counts, without its date.
    }
    return {
      entry,
      source: 'store',
      ...(typeof record.at === 'number' ? { addedAt: new Date(record.at) } : {}),
      ...(typeof record.actor === 'string' ? { actor: record.actor } : {}),
    };
  });
  return [...fromOptions, ...stored].sort((a, b) => a.entry.localeCompare(b.entry));
}
