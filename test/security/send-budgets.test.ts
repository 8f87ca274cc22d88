// SMS pumping: sends nobody verifies fill the buckets of their destination and client, across instances, until they refuse; verified codes earn the room back.
import type { Express, Request } from 'express';
import request from 'supertest';
import { createMfa, memoryStore, type MfaOptions } from '../../src';
import { sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, login, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('send-budgets');

/** Numbers of one country (US), each in a 1,000-number range of its own, so only the bucket under test fills. */
const AREAS = [201, 202, 203, 205, 206, 207, 208, 209, 210, 212, 213, 214, 215, 216, 217, 218, 219, 220, 223, 224];
const US = (i: number) => `+1${AREAS[i % AREAS.length]}555${Math.floor(i / AREAS.length) % 10}1${String(i % 100).padStart(2, '0')}`;

/**
 * Every sign-in is a user of its own with the next number of `numbers`, for the life of its session; the client address is the
 * `X-Client` header (what `sendBudgets.clientAddress` reads), so each test says who sends from where.
 */
function pumpApp(numbers: (i: number) => string, mfa: Partial<MfaOptions> = {}): Express {
  let assigned = 0;
  return bed.appWith({
    getUser: (req: Request) => {
      // Kept in the session, so the user is the same after the new session id a right code brings.
      const own = req.session as { username?: string; pumpUser?: number };
      if (!own.username) return null;
      own.pumpUser ??= assigned++;
      return { id: `user-${numbers(own.pumpUser)}`, phoneNumber: numbers(own.pumpUser) };
    },
    ...mfa,
    sendBudgets: { clientAddress: (req) => req.get('x-client'), ...mfa.sendBudgets },
  });
}

async function signIn(app: Express): Promise<string> {
  return login(app, 'alice');
}

function sendFrom(app: Express, cookie: string, address = '203.0.113.7', channel = 'sms') {
  return request(app).post('/2fa/send').set(JSON_HEADERS).set('Cookie', cookie).set('X-Client', address).send({ channel });
}

/** A new account asking for one code: the pumping step. */
async function pump(app: Express, address?: string) {
  return sendFrom(app, await signIn(app), address);
}

const budgetEvents = () => bed.events.filter((e) => e.type === 'send_budget_exceeded');

describe("a country's budget", () => {
  test('unverified sends add up across two instances until the bucket refuses: 429 send_budget_exceeded, Retry-After, one event with the counts', async () => {
    const mfa = { sendBudgets: { country: { unverified: 3 } } };
    const [one, two] = [pumpApp(US, mfa), pumpApp((i) => US(i + 50), mfa)];
    expect((await pump(one, '198.51.100.1')).status).toBe(200);
    expect((await pump(two, '198.51.100.2')).status).toBe(200);
    expect((await pump(one, '198.51.100.3')).status).toBe(200);
    for (const app of [two, one]) {
      const refused = await pump(app, '198.51.100.4');
      expect(refused.status).toBe(429);
      expect(refused.body.error).toBe('send_budget_exceeded');
      expect(refused.body.message).toMatch(/paused for now/);
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(3500);
    }
    expect(bed.emulator.sent).toHaveLength(3);
    expect(budgetEvents()).toEqual([
      expect.objectContaining({ bucket: 'country:US', country: 'US', sent: 3, verified: 0, limit: 3, mode: 'enforce' }),
    ]);
    expect(bed.events.filter((e) => e.type === 'code_sent').every((e) => e.country === 'US')).toBe(true);
  });

  test('a verified code credits its buckets back: real users keep going while the pump is cut off', async () => {
    const app = pumpApp(US, { sendBudgets: { country: { unverified: 2 } } });
    for (let i = 0; i < 4; i += 1) {
      const cookie = await signIn(app);
      expect((await sendFrom(app, cookie, `198.51.100.${i}`)).status).toBe(200);
      const to = bed.emulator.sent.at(-1)?.to as string;
      expect((await verify(app, cookie, bed.emulator.lastCode(to))).status).toBe(200);
    }
    expect((await pump(app)).status).toBe(200);
    expect((await pump(app)).status).toBe(200);
    expect((await pump(app)).body.error).toBe('send_budget_exceeded');
    expect(bed.events.filter((e) => e.type === 'code_verified').every((e) => e.country === 'US')).toBe(true);
  });

  test('the budget learns: verified codes raise it by perVerified each', async () => {
    const app = pumpApp(US, { sendBudgets: { country: { unverified: 1, perVerified: 1 } } });
    for (let i = 0; i < 3; i += 1) {
      const cookie = await signIn(app);
      await sendFrom(app, cookie, `198.51.100.${i}`);
      await verify(app, cookie, bed.emulator.lastCode(bed.emulator.sent.at(-1)?.to as string));
    }
    // 3 verified: 3 unverified allowed now, not 1.
    for (let i = 0; i < 3; i += 1) expect((await pump(app, `192.0.2.${i}`)).status).toBe(200);
    expect((await pump(app, '192.0.2.9')).body.error).toBe('send_budget_exceeded');
  });
});

describe('numbers known from a right code', () => {
  test('keep getting codes while a pump fills their country; a new number there is refused', async () => {
    // The first sign-in is a real user who enters the code; the next ones pump the same country.
    const app = pumpApp(US, { sendBudgets: { country: { unverified: 2 } }, resendCooldownSeconds: 1 });
    const real = await signIn(app);
    expect((await sendFrom(app, real, '198.51.100.1')).status).toBe(200);
    const verified = await verify(app, real, bed.emulator.lastCode(US(0)));
    expect(verified.status).toBe(200);
    expect((await pump(app, '192.0.2.1')).status).toBe(200);
    expect((await pump(app, '192.0.2.2')).status).toBe(200);
    expect((await pump(app, '192.0.2.3')).body.error).toBe('send_budget_exceeded');
    // The real user's next sign-in, to the number that took a right code: still sent.
    expect((await sendFrom(app, sessionCookie(verified.headers), '198.51.100.1')).status).toBe(200);
    expect(bed.emulator.sent.filter((s) => s.to === US(0))).toHaveLength(2);
  });

  test('with knownNumberDays 0, a known number waits like any other', async () => {
    const app = pumpApp(US, { sendBudgets: { country: { unverified: 2 }, knownNumberDays: 0 } });
    const real = await signIn(app);
    await sendFrom(app, real, '198.51.100.1');
    const verified = await verify(app, real, bed.emulator.lastCode(US(0)));
    await pump(app, '192.0.2.1');
    await pump(app, '192.0.2.2');
    expect((await sendFrom(app, sessionCookie(verified.headers), '198.51.100.1')).body.error).toBe('send_budget_exceeded');
  });
});

describe('a number range and a client address', () => {
  test('a number range (the number less its last 3 digits) fills on its own', async () => {
    const app = pumpApp((i) => `+12015550${String(100 + i)}`, { sendBudgets: { prefix: { unverified: 2 } } });
    expect((await pump(app, '198.51.100.1')).status).toBe(200);
    expect((await pump(app, '198.51.100.2')).status).toBe(200);
    expect((await pump(app, '198.51.100.3')).body.error).toBe('send_budget_exceeded');
    expect(budgetEvents().map((e) => e.bucket)).toEqual(['prefix:+12015550']);
  });

  test('IPv6 clients count by /64: two addresses of one /64 share a bucket, another /64 does not', async () => {
    const app = pumpApp((i) => US(i), { sendBudgets: { address: { unverified: 2 } } });
    expect((await pump(app, '2001:db8:1:2::a')).status).toBe(200);
    expect((await pump(app, '2001:db8:1:2:ffff::b')).status).toBe(200);
    expect((await pump(app, '2001:db8:1:2::c')).body.error).toBe('send_budget_exceeded');
    expect((await pump(app, '2001:db8:1:3::a')).status).toBe(200);
    expect(budgetEvents().map((e) => e.bucket)).toEqual(['address:2001:db8:1:2::/64']);
  });

  test('with ipv6PrefixLength 56, the whole /56 is one bucket', async () => {
    const app = pumpApp((i) => US(i), { sendBudgets: { address: { unverified: 1, ipv6PrefixLength: 56 } } });
    expect((await pump(app, '2001:db8:1:200::a')).status).toBe(200);
    expect((await pump(app, '2001:db8:1:2ff::a')).body.error).toBe('send_budget_exceeded');
  });
});

describe('modes, the ceiling and the allow-list', () => {
  test('monitor mode refuses nothing and reports each bucket once a window', async () => {
    const app = pumpApp(US, { sendBudgets: { mode: 'monitor', country: { unverified: 2 } } });
    for (let i = 0; i < 5; i += 1) expect((await pump(app, `198.51.100.${i}`)).status).toBe(200);
    expect(bed.emulator.sent).toHaveLength(5);
    expect(budgetEvents()).toEqual([
      expect.objectContaining({ bucket: 'country:US', sent: 2, verified: 0, limit: 2, mode: 'monitor', country: 'US' }),
    ]);
    expect(await mfaInstance(app).listSendBudgets()).toEqual([
      expect.objectContaining({ bucket: 'country:US', sent: 5, verified: 0, limit: 2, over: true }),
    ]);
  });

  test('the app-wide ceiling warns early, then refuses every send of its window', async () => {
    const app = pumpApp(US, { sendBudgets: { ceiling: { maxSends: 3, warnAtPercent: 60 } } });
    for (let i = 0; i < 3; i += 1) expect((await pump(app, `198.51.100.${i}`)).status).toBe(200);
    expect(bed.events.filter((e) => e.type === 'send_ceiling_warning')).toEqual([expect.objectContaining({ sent: 2, limit: 3 })]);
    const refused = await pump(app, '192.0.2.1');
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('send_budget_exceeded');
    expect(budgetEvents()).toEqual([expect.objectContaining({ bucket: 'ceiling', sent: 3, limit: 3 })]);
    expect(bed.emulator.sent).toHaveLength(3);
  });

  test('the allow-list bypasses the buckets: from the options, and added or removed at run time on every instance', async () => {
    const mfa = { sendBudgets: { country: { unverified: 1 }, allow: ['192.0.2.0/24'] } };
    const [one, two] = [pumpApp(US, mfa), pumpApp((i) => US(i + 50), mfa)];
    expect((await pump(one, '198.51.100.1')).status).toBe(200);
    expect((await pump(two, '198.51.100.2')).body.error).toBe('send_budget_exceeded');
    // The office network of the options.
    expect((await pump(two, '192.0.2.77')).status).toBe(200);
    // A number range added by an operator on one instance, honoured by the other: that of two's third user.
    const prefix = US(52).slice(0, -3);
    expect(await mfaInstance(one).allowSendBudget(` ${prefix}`, { actor: 'ops' })).toBe(prefix);
    expect((await pump(two, '198.51.100.3')).status).toBe(200);
    expect((await mfaInstance(two).listSendBudgetAllowList()).map((e) => [e.entry, e.source, e.actor])).toEqual([
      [prefix, 'store', 'ops'],
      ['192.0.2.0/24', 'options', undefined],
    ]);
    expect(await mfaInstance(two).disallowSendBudget(prefix)).toBe(true);
    expect((await pump(two, '198.51.100.4')).body.error).toBe('send_budget_exceeded');
  });

  test('a network or an address added at run time lets its clients through: IPv4 from /8 to one address, and IPv6', async () => {
    const app = pumpApp(US, { sendBudgets: { country: { unverified: 1 } } });
    expect((await pump(app, '198.51.100.1')).status).toBe(200);
    const entries = [
      ['10.0.0.0/8', '10.200.3.4'],
      ['172.16.4.0/22', '172.16.7.250'],
      ['192.0.2.128/25', '192.0.2.200'],
      ['203.0.113.9', '203.0.113.9'],
      ['2001:db8:aa::/48', '2001:db8:aa:1::5'],
    ];
    for (const [entry, client] of entries) {
      expect((await pump(app, client)).body.error).toBe('send_budget_exceeded');
      expect(await mfaInstance(app).allowSendBudget(entry as string)).toBe(entry);
      expect((await pump(app, client)).status).toBe(200);
    }
    // Next door to each stays counted.
    for (const client of ['11.0.0.1', '172.16.8.1', '192.0.2.127', '203.0.113.10', '2001:db8:ab::1']) {
      expect((await pump(app, client)).body.error).toBe('send_budget_exceeded');
    }
  });

  test('an allow-list entry that is not a country, prefix or address is refused and changes nothing', async () => {
    const app = pumpApp(US);
    for (const entry of ['united states', '+0123', '1.2.3.4/7', '2001:db8::/60', '', 'US; DROP']) {
      await expect(mfaInstance(app).allowSendBudget(entry)).rejects.toThrow(
        /an allow-list entry must be a country code \("US"\), a number prefix in E.164/,
      );
    }
    expect(await mfaInstance(app).listSendBudgetAllowList()).toEqual([]);
  });
});

describe('operators', () => {
  test('listSendBudgets shows buckets near or over budget with their counts; resetSendBudget lets sends flow again', async () => {
    const app = pumpApp(US, { sendBudgets: { address: { unverified: 2 } } });
    expect((await pump(app, '203.0.113.9')).status).toBe(200);
    expect(await mfaInstance(app).listSendBudgets()).toEqual([
      expect.objectContaining({ bucket: 'address:203.0.113.9', sent: 1, verified: 0, limit: 2, over: false }),
    ]);
    await pump(app, '203.0.113.9');
    expect((await pump(app, '203.0.113.9')).body.error).toBe('send_budget_exceeded');
    const [listed] = await mfaInstance(app).listSendBudgets();
    expect(listed).toMatchObject({ bucket: 'address:203.0.113.9', sent: 2, over: true });
    expect(listed?.resetsInSeconds).toBeGreaterThan(3500);
    expect(await mfaInstance(app).resetSendBudget('address:203.0.113.9')).toBe(true);
    expect(await mfaInstance(app).listSendBudgets()).toEqual([]);
    expect((await pump(app, '203.0.113.9')).status).toBe(200);
    await expect(mfaInstance(app).resetSendBudget('DEL *')).rejects.toThrow(/needs a bucket name/);
  });
});

function mfaInstance(app: Express) {
  return app.locals.mfa as import('../../src').Mfa;
}

describe('the options are checked at start-up', () => {
  const base = () => ({
    bandwidth: { sendCode: async () => ({ id: 'x' }), verifyCode: async () => true },
    getUser: () => null,
    store: memoryStore(),
  });
  test.each([
    [{ contry: {} }, /unknown option `sendBudgets.contry`. Did you mean `sendBudgets.country`\?/],
    [{ country: { unverfied: 3 } }, /unknown option `sendBudgets.country.unverfied`. Did you mean `sendBudgets.country.unverified`\?/],
    [{ country: { unverified: 0 } }, /`sendBudgets.country.unverified` must be a whole number from 1 to 1000000; got 0/],
    [{ prefix: { perVerified: 20 } }, /`sendBudgets.prefix.perVerified` must be a number from 0 to 10/],
    [{ address: { windowSeconds: 5 } }, /`sendBudgets.address.windowSeconds` must be a whole number from 10 to 604800/],
    [{ address: { ipv6PrefixLength: 60 } }, /`sendBudgets.address.ipv6PrefixLength` must be 64 \(one household or phone\), 56 or 48/],
    [{ prefix: { hiddenDigits: 12 } }, /`sendBudgets.prefix.hiddenDigits` must be a whole number from 1 to 8/],
    [
      { ceiling: { maxSends: -1 } },
      /`sendBudgets.ceiling.maxSends` must be a whole number from 1 to 10000000; got -1. Size it to about three times your busiest hour/,
    ],
    [{ mode: 'block' }, /`sendBudgets.mode` must be "enforce" \(refuse past a budget\) or "monitor"/],
    [{ allow: ['US', 'Narnia'] }, /`sendBudgets.allow\[1\]`: an allow-list entry must be a country code/],
    [{ allow: 'US' }, /`sendBudgets.allow` must be an array/],
    [{ clientAddress: 'x-forwarded-for' }, /`sendBudgets.clientAddress` must be a function/],
  ])('%j fails with a sentence that says what to change', (sendBudgets, message) => {
    expect(() => createMfa({ ...base(), sendBudgets: sendBudgets as never })).toThrow(message);
  });
});
