// Counter store errors fail closed: every store failure on the way to Bandwidth is a 5xx with no provider call, never a pass.
import type { Express } from 'express';
import { redisStore } from '../../src';
import { CEILING_KEY } from '../../src/budgets/buckets';
import { codeFor, getAdmin, login, send, verify, wrongCode } from '../helpers/flow';
import { faultyStore, type FaultyStore, type StoreOperation } from '../helpers/faulty-store';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('store-errors');
let store: FaultyStore;
let app: Express;

beforeEach(() => {
  store = faultyStore(redisStore(bed.redis, { prefix: `${bed.prefix}mfa:` }));
  app = bed.appWith({ store });
});

const providerCalls = () =>
  bed.emulator.requestCount('messaging') + bed.emulator.requestCount('voice') + bed.emulator.requestCount('verify');

async function expectFailedClosed(res: { status: number; body: { error?: string } }, callsBefore: number): Promise<void> {
  expect(res.status).toBeGreaterThanOrEqual(500);
  expect(res.body.error).toBe('service_unavailable');
  expect(providerCalls()).toBe(callsBefore);
}

describe('store errors on send', () => {
  test.each<StoreOperation>(['claimSend'])('%s failing: 503, no SMS', async (operation) => {
    const cookie = await login(app);
    store.failing.add(operation);
    await expectFailedClosed(await send(app, cookie), 0);
    expect(bed.emulator.sent).toHaveLength(0);
  });
});

describe('store errors while counting a send against its budgets', () => {
  test("countSend failing: 503, no SMS, and the user's cooldown is handed back for when the store returns", async () => {
    const cookie = await login(app);
    store.failing.add('countSend');
    await expectFailedClosed(await send(app, cookie), 0);
    expect(bed.emulator.sent).toHaveLength(0);
    store.failing.delete('countSend');
    expect((await send(app, cookie)).status).toBe(200);
  });

  test.each([
    ['undefined', undefined],
    ['a refusal of no known kind', { counted: false, refusal: 'maybe', ttlMs: 1 }],
    ['a bucket out of range', { counted: false, refusal: 'budget', over: [{ bucket: 9, ttlMs: 1, first: true }] }],
  ])('a budget count that answers %s (a broken custom store) fails closed: no SMS', async (_label, answer) => {
    const cookie = await login(app);
    store.answers.set('countSend', answer);
    await expectFailedClosed(await send(app, cookie), 0);
  });

  test.each([
    ['a refusal of no known kind', { counted: false, refusal: 'maybe', ttlMs: 1 }],
    ['a count without its fields', { counted: true }],
  ])(
    'a claim whose budget count, taken in the same step, answers %s (a broken custom store) fails closed: no SMS',
    async (_label, budget) => {
      const cookie = await login(app);
      store.answers.set('claimSend', { claimed: true, budget });
      await expectFailedClosed(await send(app, cookie), 0);
    },
  );

  test("a budget count failing inside the claim's step (a bucket holding garbage): 503, no SMS, the cooldown handed back", async () => {
    const cookie = await login(app);
    const ceiling = `${bed.prefix}mfa:${CEILING_KEY}`;
    await bed.redis.hset(ceiling, 'sent', 'garbage');
    await expectFailedClosed(await send(app, cookie), 0);
    expect(store.calls).not.toContain('countSend');
    await bed.redis.del(ceiling);
    expect((await send(app, cookie)).status).toBe(200);
  });

  test('a credit that cannot be taken in the consuming step (a bucket holding garbage): the login succeeds, the operator is told', async () => {
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    const [bucket] = await bed.redis.keys(`${bed.prefix}mfa:{budgets}:b:*`);
    expect(bucket).toBeDefined();
    await bed.redis.hset(bucket as string, 'verified', 'garbage');
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);
    expect(bed.logs.some((line) => /failed crediting a verified code/.test(line))).toBe(true);
  });

  test('crediting a verified code failing: the login still succeeds, the budget stays charged, the operator is told', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    store.failing.add('creditSend');
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);
    expect(bed.logs.some((line) => /failed crediting a verified code/.test(line))).toBe(true);
  });
});

describe('store errors on verify', () => {
  test.each<StoreOperation>(['countAttempt'])('%s failing: 503, no provider call, not verified', async (operation) => {
    const cookie = await login(app);
    await send(app, cookie);
    const calls = providerCalls();
    store.failing.add(operation);
    await expectFailedClosed(await verify(app, cookie, codeFor(bed.emulator)), calls);
    expect((await getAdmin(app, cookie)).status).toBe(401);
  });

  test.each<StoreOperation>(['delete'])(
    '%s (the compare-and-delete) failing after Bandwidth said valid: 503, not verified',
    async (operation) => {
      const cookie = await login(app);
      await send(app, cookie);
      store.failing.add(operation);
      const res = await verify(app, cookie, codeFor(bed.emulator));
      expect(res.status).toBe(503);
      expect(res.headers['set-cookie']).toBeUndefined();
      expect((await getAdmin(app, cookie)).status).toBe(401);
    },
  );

  test('recording a lockout failing: 503, and the right code is not accepted meanwhile', async () => {
    const cookie = await login(app);
    await send(app, cookie);
    for (let i = 0; i < 4; i += 1) expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(400);
    store.failing.add('lock');
    expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(503);
    store.failing.clear();
    const calls = providerCalls();
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(429);
    expect(providerCalls()).toBe(calls);
  });

  test.each([
    ['undefined', undefined],
    ['null', null],
    ['a string', 'one'],
    ['NaN attempts', { counted: true, attempts: Number.NaN, streak: 1, challenge: null }],
    ['no attempts', { counted: true, streak: 1, challenge: null }],
    ['a string streak', { counted: true, attempts: 1, streak: 'one', challenge: null }],
  ])('an attempt count that answers %s (a broken custom store) fails closed with no provider call', async (_label, answer) => {
    const cookie = await login(app);
    await send(app, cookie);
    const calls = providerCalls();
    store.answers.set('countAttempt', answer);
    for (let i = 0; i < 7; i += 1) await expectFailedClosed(await verify(app, cookie, wrongCode(codeFor(bed.emulator))), calls);
    expect((await getAdmin(app, cookie)).status).toBe(401);
  });

  test.each([
    ['undefined', undefined],
    ['a string', 'claimed'],
    ['an unknown refusal', { claimed: false, refusal: 'maybe', ttlMs: 1 }],
  ])('a send claim that answers %s (a broken custom store) fails closed too: no SMS', async (_label, answer) => {
    const cookie = await login(app);
    store.answers.set('claimSend', answer);
    await expectFailedClosed(await send(app, cookie), 0);
  });

  test('store failures are logged for the operator', async () => {
    const cookie = await login(app);
    store.failing.add('claimSend');
    await send(app, cookie);
    expect(bed.logs.some((line) => /store failed/.test(line))).toBe(true);
  });
});
