// One send counted against its destination: the cap per number, the budgets that learn from verifications, the app-wide ceiling.
import { MfaError } from '../errors';
import type { MfaConfig } from '../options';
import type { BucketOver, SendBudget, SendBudgetCount, VerifiedCredit } from '../stores/types';
import { secondsLeft } from '../stores/ttl';
import { readAddress } from '../budgets/address';
import { allowCandidates } from '../budgets/allow-list';
import {
  ALLOW_LIST_KEY,
  CEILING_BUCKET,
  CEILING_KEY,
  INDEX_KEY,
  bucketKey,
  bucketsFor,
  knownNumberKey,
  numberKey,
  type Bucket,
} from '../budgets/buckets';
import { countryOf } from '../phone/parse';
import { onceAMinuteFor } from './warning-bursts';
import { brokenStore, fromStore, type FlowContext } from './context';
import { LOG_PREFIX } from '../log-prefix';

const NUMBER_WINDOW_SECONDS = 3600;

/** What a counted send charged, to give back when it is verified (`buckets`) or certainly never left (all of it). */
export interface SendCharge {
  /** Bucket names: kept in the pending challenge, so a verification credits exactly these. */
  buckets: string[];
  /** Every key counted (number, ceiling, buckets). */
  keys: string[];
  country: string | undefined;
}

/** One send's budget step: what the store counts, and the buckets and country it is read back against. */
export interface BudgetRequest extends SendBudget {
  buckets: Bucket[];
  country: string | undefined;
}

/** The budget step of a send to `phoneNumber` from this request's client address. */
export function budgetRequest(ctx: FlowContext, phoneNumber: string): BudgetRequest {
  const { config, req } = ctx;
  const { sendBudgets } = config;
  const country = countryOf(phoneNumber);
  const address = readAddress(sendBudgets.clientAddress(req));
  const buckets = bucketsFor(config, phoneNumber, country, address);
  const candidates = allowCandidates(phoneNumber, country, address);
  const enforce = sendBudgets.mode === 'enforce';
  const keys = {
    number: numberKey(phoneNumber),
    ceiling: CEILING_KEY,
    allowList: ALLOW_LIST_KEY,
    index: INDEX_KEY,
    buckets: buckets.map((b) => bucketKey(b.name)),
    ...(sendBudgets.knownNumberDays > 0 ? { known: knownNumberKey(phoneNumber) } : {}),
  };
  const limits = {
    numberMax: config.maxSendsPerNumberPerHour,
    numberWindowSeconds: NUMBER_WINDOW_SECONDS,
    ceilingMax: sendBudgets.ceiling.maxSends,
    ceilingWarnAt: sendBudgets.ceiling.warnAt,
    ceilingWindowSeconds: sendBudgets.ceiling.windowSeconds,
    buckets: buckets.map((b) => b.budget),
    enforce,
    allowCandidates: candidates,
    allowListed: candidates.some((entry) => sendBudgets.allow.includes(entry)),
  };
  return { keys, limits, buckets, country };
}

/**
 * Counts the send, in one store step, once the user's own limits let it through (for a store whose claim did not
 * take the budget along). A refusal is a 429 (`send_limit_reached` for the number, `send_budget_exceeded` for a
 * budget or the ceiling); a store failure is a 503 and nothing goes out uncounted.
 */
export async function countSend(ctx: FlowContext, request: BudgetRequest): Promise<SendCharge> {
  return chargeOf(ctx, request, await fromStore(ctx.config, ctx.config.store.countSend(request.keys, request.limits)));
}

/** Reads a budget count back: reports, and either the charge of a counted send or the refusal to answer. */
export function chargeOf(ctx: FlowContext, { keys, buckets, country }: BudgetRequest, count: unknown): SendCharge {
  const { config, user } = ctx;
  const { sendBudgets } = config;
  if (!isBudgetCount(count, buckets.length)) throw brokenStore(config, 'a send budget count outside its contract');

  const mode = sendBudgets.mode;
  const emitOver = (over: BucketOver[]) => {
    for (const bucket of over) {
      if (!bucket.first) continue;
      config.emit({
        type: 'send_budget_exceeded',
        userId: user.id,
        bucket: (buckets[bucket.bucket] as Bucket).name,
        sent: bucket.sent,
        verified: bucket.verified,
        limit: bucket.limit,
        retryAfterSeconds: secondsLeft(bucket.ttlMs),
        mode,
        ...(country ? { country } : {}),
      });
    }
  };
  const emitCeiling = (sent: number, ttlMs: number | undefined) =>
    config.emit({
      type: 'send_budget_exceeded',
      userId: user.id,
      bucket: CEILING_BUCKET,
      sent,
      limit: sendBudgets.ceiling.maxSends,
      mode,
      ...(ttlMs === undefined ? {} : { retryAfterSeconds: secondsLeft(ttlMs) }),
      ...(country ? { country } : {}),
    });

  if (!count.counted) {
    if (count.refusal === 'number_limit') throw new MfaError('send_limit_reached', { retryAfterSeconds: secondsLeft(count.ttlMs) });
    if (count.refusal === 'ceiling') {
      if (count.first) emitCeiling(count.sent, count.ttlMs);
      onceAMinuteFor(config)(
        'ceiling',
        `${LOG_PREFIX}the app-wide ceiling of ${sendBudgets.ceiling.maxSends} codes per ${sendBudgets.ceiling.windowSeconds} s is reached; sends are refused until its window ends (sendBudgets.ceiling).`,
      );
      throw new MfaError('send_budget_exceeded', { retryAfterSeconds: secondsLeft(count.ttlMs) });
    }
    emitOver(count.over);
    // Refused until the last of them lets go (or verifications earn back room).
    throw new MfaError('send_budget_exceeded', { retryAfterSeconds: secondsLeft(Math.max(...count.over.map((b) => b.ttlMs))) });
  }

  emitOver(count.over);
  if (count.ceilingOverFirst) emitCeiling(count.ceilingSent - 1, undefined);
  if (count.ceilingWarning) {
    config.emit({
      type: 'send_ceiling_warning',
      userId: user.id,
      sent: count.ceilingSent,
      limit: sendBudgets.ceiling.maxSends,
      mode,
      ...(country ? { country } : {}),
    });
    onceAMinuteFor(config)(
      'ceiling-warning',
      `${LOG_PREFIX}${count.ceilingSent} codes were sent in the current window, near the app-wide ceiling of ${sendBudgets.ceiling.maxSends} (sendBudgets.ceiling).`,
      'warn',
    );
  }
  const charged = count.allowListed ? [] : buckets.map((b) => b.name);
  return { buckets: charged, keys: [keys.number, keys.ceiling, ...charged.map(bucketKey)], country };
}

/**
 * A verified code earns its buckets back their room, and makes its number known (it skips the buckets for
 * `knownNumberDays`); a lost credit only leaves the budget charged, so it never refuses the login.
 */
export async function creditVerified(config: MfaConfig, credit: VerifiedCredit | undefined): Promise<void> {
  if (!credit) return;
  try {
    await config.store.creditSend(credit.buckets, 'verified', credit.known);
  } catch (error) {
    onceAMinuteFor(config)(
      'credit',
      `${LOG_PREFIX}the shared store failed crediting a verified code to its send budgets (${(error as Error)?.name ?? 'error'}); the budgets stay charged.`,
    );
  }
}

/** What a right code gives back: its buckets' room, and its number's record; undefined when there is nothing to give. */
export function verifiedCredit(config: MfaConfig, buckets: readonly string[] | undefined, phoneNumber: string): VerifiedCredit | undefined {
  const days = config.sendBudgets.knownNumberDays;
  if ((!buckets || buckets.length === 0) && days === 0) return undefined;
  return {
    buckets: (buckets ?? []).map(bucketKey),
    ...(days > 0 ? { known: { key: knownNumberKey(phoneNumber), ttlSeconds: days * 86_400 } } : {}),
  };
}

/** A send that certainly never left gives back everything it was counted in. */
export async function refundUnsent(config: MfaConfig, charge: SendCharge): Promise<void> {
  await fromStore(config, config.store.creditSend(charge.keys, 'unsent'));
}

function isBudgetCount(value: unknown, buckets: number): value is SendBudgetCount {
  const count = value as Partial<Record<string, unknown>> | null | undefined;
  const overOk = (list: unknown) =>
    Array.isArray(list) &&
    list.every(
      (b: Partial<BucketOver>) =>
        Number.isInteger(b?.bucket) &&
        (b.bucket as number) >= 0 &&
        (b.bucket as number) < buckets &&
        Number.isFinite(b.ttlMs) &&
        typeof b.first === 'boolean',
    );
  if (count?.counted === true) return typeof count.allowListed === 'boolean' && overOk(count.over) && Number.isFinite(count.ceilingSent);
  if (count?.counted !== false) return false;
  if (count.refusal === 'number_limit' || count.refusal === 'ceiling') return Number.isFinite(count.ttlMs);
  return count.refusal === 'budget' && overOk(count.over) && (count.over as unknown[]).length > 0;
}
