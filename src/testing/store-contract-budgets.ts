// The store contract's cases for the send budgets: countSend and creditSend, atomic under parallel sends.
import { strict as assert } from 'node:assert';
import type { MfaStore, SendBudgetKeys, SendBudgetLimits } from '../stores/types';
import { mapsOf } from '../stores/maps';
import { atMost, contractCase, key, present, range, type StoreContractCase } from './store-contract-case';

/** One hash tag for every key of the step, as the flow gives them. */
const b = (name: string): string => `{budgets}:contract:${name}`;
const keys: SendBudgetKeys = {
  number: b('n'),
  ceiling: b('ceiling'),
  allowList: b('allow'),
  index: b('index'),
  buckets: [b('country'), b('address')],
};

function limits(overrides: Partial<SendBudgetLimits> = {}): SendBudgetLimits {
  return {
    numberMax: 100,
    numberWindowSeconds: 3600,
    ceilingMax: 1000,
    ceilingWarnAt: 800,
    ceilingWindowSeconds: 3600,
    buckets: [
      { unverified: 3, perVerified: 1, windowSeconds: 3600 },
      { unverified: 100, perVerified: 0, windowSeconds: 600 },
    ],
    enforce: true,
    allowCandidates: ['US', '+1202'],
    allowListed: false,
    ...overrides,
  };
}

/** The buckets are read as the operator tools read them, through the store's maps. */
const maps = (store: MfaStore) => mapsOf(store, 'The send budget cases of the store contract');
const sent = async (store: MfaStore, key: string): Promise<number> => Number((await maps(store).mapGetAll(key)).sent ?? 0);

const userKeys = { lockout: key('lockout'), cooldown: key('cooldown'), sends: key('sends'), challenge: key('challenge') };
const claimLimits = { cooldownSeconds: 30, maxSends: 10, windowSeconds: 3600, challengeId: 'challenge-1', challengeSeconds: 300 };

export const budgetCases: readonly StoreContractCase[] = [
  contractCase(
    'delete with a credit: a store that credits in the consuming step answers "credited" once; a caller that consumes nothing credits nothing',
    async (store) => {
      await store.countSend(keys, limits());
      await store.set(userKeys.challenge, 'challenge-1', 300);
      const credit = { buckets: [b('country'), b('address')] };
      const answers = await Promise.all(range(5).map(() => store.delete([userKeys.challenge], 'challenge-1', credit)));
      assert.equal(answers.filter((answer) => answer !== false).length, 1, 'exactly one caller consumes');
      const verified = async (key: string) => Number((await maps(store).mapGetAll(key)).verified ?? 0);
      // Optional: a store that answers true leaves the credit to creditSend, whose cases follow.
      if (!answers.includes('credited')) return;
      assert.deepEqual([await verified(b('country')), await verified(b('address'))], [1, 1]);
    },
  ),
  contractCase(
    'claimSend with a budget: a store that counts it in the same step answers the count; refused by it, the cooldown is given back',
    async (store) => {
      const first = await store.claimSend(userKeys, claimLimits, { keys, limits: limits({ numberMax: 1 }) });
      assert.ok(first.claimed, `expected the send to be claimed, got ${JSON.stringify(first)}`);
      // Optional: a store that leaves the budget to countSend (whose cases follow) has nothing more to show here.
      if (first.budget === undefined) return;
      assert.ok(first.budget.counted, `expected the budget to count the send, got ${JSON.stringify(first.budget)}`);
      assert.deepEqual([await sent(store, b('n')), await sent(store, b('country'))], [1, 1]);
      await store.delete([userKeys.cooldown]);
      const second = await store.claimSend(userKeys, claimLimits, { keys, limits: limits({ numberMax: 1 }) });
      assert.ok(
        second.claimed && second.budget && !second.budget.counted && second.budget.refusal === 'number_limit',
        `expected the number's cap to refuse, got ${JSON.stringify(second)}`,
      );
      assert.equal(await store.get(userKeys.cooldown), null, 'the cooldown is given back');
      assert.deepEqual([await sent(store, b('n')), await sent(store, b('country'))], [1, 1], 'nothing more counted');
    },
  ),
  contractCase(
    'countSend: of 20 parallel sends against a budget of 3 unverified, exactly 3 are counted; the rest refuse naming the bucket, reported first once',
    async (store) => {
      const counts = await Promise.all(range(20).map(() => store.countSend(keys, limits())));
      assert.equal(counts.filter((c) => c.counted).length, 3, 'sends counted');
      const refused = counts.filter((c) => !c.counted);
      assert.ok(
        refused.every((c) => !c.counted && c.refusal === 'budget' && c.over.length === 1 && c.over[0]?.bucket === 0),
        'every refusal names bucket 0',
      );
      assert.equal(
        refused.filter((c) => !c.counted && c.refusal === 'budget' && c.over[0]?.first).length,
        1,
        'one refusal is the first report of the window',
      );
      assert.equal(await sent(store, b('country')), 3);
      assert.equal(await sent(store, b('address')), 3);
      assert.equal(await sent(store, b('n')), 3);
      assert.equal(await sent(store, b('ceiling')), 3);
    },
  ),
  contractCase("countSend: refuses at the number's cap before anything else, counting nothing", async (store) => {
    for (const _ of range(2)) assert.ok((await store.countSend(keys, limits({ numberMax: 2 }))).counted);
    const refused = await store.countSend(keys, limits({ numberMax: 2 }));
    assert.ok(!refused.counted && refused.refusal === 'number_limit', `expected number_limit, got ${JSON.stringify(refused)}`);
    atMost(refused.ttlMs, 3_600_000, 'ttlMs of the number window');
    assert.equal(await sent(store, b('ceiling')), 2);
  }),
  contractCase(
    'creditSend: a verification raises the budget by perVerified, never counts more verifications than sends, and leaves absent keys absent',
    async (store) => {
      for (const _ of range(3)) await store.countSend(keys, limits());
      await store.creditSend([b('country'), b('gone')], 'verified');
      await store.creditSend([b('country')], 'verified');
      // 3 sent, 2 verified: 1 unverified against a budget of max(3, 2): two more sends fit.
      assert.ok((await store.countSend(keys, limits())).counted);
      assert.ok((await store.countSend(keys, limits())).counted);
      assert.ok(!(await store.countSend(keys, limits())).counted);
      for (const _ of range(9)) await store.creditSend([b('country')], 'verified');
      const fields = await maps(store).mapGetAll(b('country'));
      assert.equal(fields.verified, fields.sent, 'verified never passes sent');
      assert.deepEqual(await maps(store).mapGetAll(b('gone')), {});
    },
  ),
  contractCase('creditSend: `unsent` takes a send back out of every count it was in', async (store) => {
    await store.countSend(keys, limits());
    await store.creditSend([keys.number, keys.ceiling, ...keys.buckets], 'unsent');
    for (const key of [keys.number, keys.ceiling, ...keys.buckets]) assert.equal(await sent(store, key), 0, key);
  }),
  contractCase('countSend: monitor mode counts past the budget and reports the bucket, first only once', async (store) => {
    const monitor = limits({ enforce: false });
    for (const _ of range(3)) await store.countSend(keys, monitor);
    const fourth = await store.countSend(keys, monitor);
    const fifth = await store.countSend(keys, monitor);
    assert.ok(
      fourth.counted &&
        fourth.over.length === 1 &&
        fourth.over[0]?.first === true &&
        fourth.over[0].sent === 3 &&
        fourth.over[0].limit === 3,
      JSON.stringify(fourth),
    );
    assert.ok(fifth.counted && fifth.over[0]?.first === false, JSON.stringify(fifth));
    assert.equal(await sent(store, b('country')), 5);
  }),
  contractCase(
    'countSend: an allow-list entry among the candidates bypasses the buckets, uncounted, but not the number or the ceiling',
    async (store) => {
      await maps(store).mapSet(keys.allowList, '+1202', '{}', 3600);
      for (const _ of range(5)) {
        const count = await store.countSend(keys, limits());
        assert.ok(count.counted && count.allowListed, JSON.stringify(count));
      }
      assert.equal(await sent(store, b('country')), 0);
      assert.equal(await sent(store, b('ceiling')), 5);
      const capped = await store.countSend(keys, limits({ numberMax: 5 }));
      assert.ok(!capped.counted && capped.refusal === 'number_limit');
    },
  ),
  contractCase('countSend: the ceiling warns once at its mark, then refuses (enforce) every send of its window', async (store) => {
    const ceiling = limits({ ceilingMax: 3, ceilingWarnAt: 2, allowListed: true });
    const warnings = [];
    for (const _ of range(3)) {
      const count = await store.countSend(keys, ceiling);
      assert.ok(count.counted);
      warnings.push(count.ceilingWarning);
    }
    assert.deepEqual(warnings, [false, true, false]);
    const refused = await store.countSend(keys, ceiling);
    const again = await store.countSend(keys, ceiling);
    assert.ok(!refused.counted && refused.refusal === 'ceiling' && refused.first && refused.sent === 3, JSON.stringify(refused));
    assert.ok(!again.counted && again.refusal === 'ceiling' && !again.first);
  }),
  contractCase('countSend: a bucket at half its budget or more is listed in the index under the key it was given', async (store) => {
    await store.countSend(keys, limits());
    assert.deepEqual(Object.keys(await maps(store).mapGetAll(keys.index)), []);
    await store.countSend(keys, limits());
    assert.deepEqual(Object.keys(await maps(store).mapGetAll(keys.index)), [b('country')]);
  }),
  contractCase(
    'creditSend with `known`: the number is recorded in the same step, and its sends then bypass the buckets, uncounted',
    async (store) => {
      const known = { key: b('known'), ttlSeconds: 600 };
      const withKnown = { ...keys, known: known.key };
      for (const _ of range(3)) assert.ok((await store.countSend(withKnown, limits())).counted);
      assert.ok(!(await store.countSend(withKnown, limits())).counted, 'the bucket is full');
      await store.creditSend([], 'unsent', known);
      assert.ok(!(await store.countSend(withKnown, limits())).counted, 'only a right code makes a number known');
      await store.creditSend([b('country')], 'verified', known);
      assert.equal(present(await maps(store).mapGetAll(known.key), 'the record').known, '1', 'the record is set');
      const bypass = await store.countSend(withKnown, limits());
      assert.ok(bypass.counted && bypass.allowListed, JSON.stringify(bypass));
      assert.equal(await sent(store, b('country')), 3, 'the bypassing send is not counted in the buckets');
      assert.equal(await sent(store, b('ceiling')), 4, 'but it is in the ceiling');
    },
  ),
  contractCase('countSend: fails, changing nothing, when a count is not a number', async (store) => {
    await maps(store).mapSet(b('address'), 'sent', 'garbage', 600);
    await assert.rejects(store.countSend(keys, limits()));
    assert.equal(await sent(store, b('country')), 0);
    assert.equal(await sent(store, b('n')), 0);
  }),
];
