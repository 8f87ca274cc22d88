// Recovery codes: readable, stored only as keyed hashes, single use under parallel requests, and no way around a lockout.
import { createHash, createHmac } from 'node:crypto';
import type { Express } from 'express';
import request from 'supertest';
import { RECOVERY_CODE_ALPHABET, RECOVERY_CODE_BITS, RECOVERY_CODE_LENGTH } from '../../src/recovery/codes';
import { RECOVERY_SECRET } from '../helpers/user-records';
import { mfaOf, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, postForm, send, verify, wrongCode } from '../helpers/flow';
import { sessionKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('recovery', { lifecycle: true });
const alice = 'user-alice';

function recover(app: Express, cookie: string, recoveryCode: unknown) {
  return request(app).post('/2fa/recovery').set(JSON_HEADERS).set('Cookie', cookie).send({ recoveryCode });
}

describe('a set of recovery codes', () => {
  test('is ten distinct codes of four groups of four unambiguous symbols, at least 64 bits each', async () => {
    const codes = await mfaOf(bed.app).generateRecoveryCodes(alice, { actor: 'test' });
    expect(codes).toHaveLength(10);
    expect(new Set(codes).size).toBe(10);
    for (const code of codes)
      expect(code).toMatch(/^[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}-[2-9A-HJKMNP-TV-Z]{4}$/);
    // NIST SP 800-63B-4 asks for at least 64 bits: length × log2(alphabet), the alphabet free of look-alikes.
    const alphabet = new Set(RECOVERY_CODE_ALPHABET);
    expect(alphabet.size).toBe(RECOVERY_CODE_ALPHABET.length);
    for (const confusable of '01ILOU') expect(alphabet.has(confusable)).toBe(false);
    for (const code of codes) expect(code.replace(/-/g, '')).toHaveLength(RECOVERY_CODE_LENGTH);
    const bits = RECOVERY_CODE_LENGTH * Math.log2(alphabet.size);
    expect(bits).toBeGreaterThanOrEqual(64);
    expect(RECOVERY_CODE_BITS).toBe(Math.floor(bits));
    expect(bed.events.find((e) => e.type === 'recovery_codes_generated')).toMatchObject({ userId: alice, actor: 'test' });
  });

  test('reaches the app only as keyed hashes: its records hold no code and no plain hash of one', async () => {
    const codes = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const stored = await bed.records.hashes(alice);
    expect(stored).toHaveLength(10);
    for (const code of codes) {
      const bare = code.replace(/-/g, '');
      expect(stored.join(' ')).not.toContain(bare);
      expect(stored).not.toContain(createHash('sha256').update(bare).digest('hex'));
      expect(stored).not.toContain(createHash('sha256').update(code).digest('hex'));
    }
  });
});

describe('signing in with a recovery code', () => {
  test('verifies the session under a new id, takes the code loosely typed, and says how many are left', async () => {
    const [code] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const cookie = await login(bed.app);
    const res = await recover(bed.app, cookie, ` ${code!.toLowerCase().replace(/-/g, ' ')} `);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: true, recoveryCodesLeft: 9 });
    const verified = sessionCookie(res.headers);
    expect(verified).not.toBe(cookie);
    expect((await getAdmin(bed.app, verified)).status).toBe(200);
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    expect(bed.events.find((e) => e.type === 'recovery_code_used')).toMatchObject({ userId: alice, recoveryCodesLeft: 9 });
    expect(bed.emulator.sent).toHaveLength(0);
  });

  test('a used code fails the next time, like a wrong one', async () => {
    const [code] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    expect((await recover(bed.app, await login(bed.app), code)).status).toBe(200);
    const again = await recover(bed.app, await login(bed.app), code);
    expect(again.status).toBe(400);
    expect(again.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 });
  });

  test('ten parallel submissions of one code: exactly one succeeds', async () => {
    const [code] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const app = bed.appWith({ maxAttempts: 20 });
    const cookies = await Promise.all(Array.from({ length: 10 }, () => login(app)));
    const answers = await Promise.all(cookies.map((cookie) => recover(app, cookie, code)));
    expect(answers.filter((res) => res.status === 200)).toHaveLength(1);
    expect(await bed.records.hashes(alice)).toHaveLength(9);
  });

  test("a replaced set's codes fail", async () => {
    const [old] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    await mfaOf(bed.app).generateRecoveryCodes(alice);
    expect((await recover(bed.app, await login(bed.app), old)).body.error).toBe('invalid_code');
  });

  test('a locked-out user cannot escape through it: refused unasked, the code kept', async () => {
    const [code] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    for (let i = 0; i < 5; i += 1) await verify(bed.app, cookie, wrongCode(codeFor(bed.emulator)));
    const res = await recover(bed.app, cookie, code);
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('locked_out');
    expect(await bed.records.hashes(alice)).toHaveLength(10);
  });

  test('wrong recovery codes spend the same budget as wrong SMS codes, and lock', async () => {
    await mfaOf(bed.app).generateRecoveryCodes(alice);
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    await verify(bed.app, cookie, wrongCode(codeFor(bed.emulator)));
    for (let i = 0; i < 3; i += 1) expect((await recover(bed.app, cookie, 'AAAA-BBBB-CCCC')).status).toBe(400);
    expect((await recover(bed.app, cookie, 'AAAA-BBBB-CCCC')).status).toBe(429);
    expect(bed.events.filter((e) => e.reason === 'invalid_recovery_code')).toHaveLength(4);
  });

  test.each([
    ['too short', 'ABCD-EFGH'],
    ['a zero', '0BCD-EFGH-JKMN'],
    ['a number', 123456789012],
    ['an object', { code: 'x' }],
    ['missing', undefined],
  ])('%s: 400 invalid_request, no attempt counted, the app not asked', async (_label, recoveryCode) => {
    const cookie = await login(bed.app);
    const res = await recover(bed.app, cookie, recoveryCode);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(await bed.redis.keys(`${bed.prefix}mfa:*:attempts`)).toEqual([]);
  });

  test("the app's consume hook failing is a 503 that grants nothing", async () => {
    const app = bed.appWith({
      recoveryCodes: {
        ...bed.records.recoveryCodes,
        consumeRecoveryCode: async () => {
          throw new Error('db down');
        },
      },
    });
    const [code] = await mfaOf(app).generateRecoveryCodes(alice);
    const cookie = await login(app);
    const res = await recover(app, cookie, code);
    expect(res.status).toBe(503);
    expect((await getAdmin(app, cookie)).status).toBe(401);
  });
});

describe('making a new set', () => {
  function newSet(app: Express, cookie: string) {
    return request(app).post('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', cookie).send({});
  }

  test('needs a fresh second factor, then replaces the whole set', async () => {
    const [old] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const cookie = await login(bed.app);
    expect((await newSet(bed.app, cookie)).body).toMatchObject({ error: 'second_factor_required', scope: '2FA' });
    const verified = sessionCookie((await recover(bed.app, cookie, old)).headers);
    const res = await newSet(bed.app, verified);
    expect(res.status).toBe(200);
    expect(res.body.recoveryCodes).toHaveLength(10);
    expect(await bed.records.hashes(alice)).toHaveLength(10);
  });

  test('a verification from a trusted browser or from long ago is not fresh enough', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const verified = sessionCookie((await verify(bed.app, cookie, codeFor(bed.emulator))).headers);
    const key = sessionKey(bed.prefix, verified);
    const data = JSON.parse((await bed.redis.get(key)) as string);
    data.mfa.verified['2FA'].at -= 10 * 60_000;
    await bed.redis.set(key, JSON.stringify(data), 'KEEPTTL');
    expect((await newSet(bed.app, verified)).status).toBe(401);
  });
});

describe('codes of the earlier format (three groups of four)', () => {
  test('still work until the set is replaced, typed loosely', async () => {
    // What an earlier version stored: the keyed hash of the 12 symbols.
    const old = 'ABCD-EFGH-JKMN';
    const hash = createHmac('sha256', RECOVERY_SECRET)
      .update(`recovery-code:${old.replace(/-/g, '')}`)
      .digest('hex');
    await bed.records.recoveryCodes.saveRecoveryCodes(alice, [hash]);
    const res = await recover(bed.app, await login(bed.app), ' abcd efgh jkmn ');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ verified: true, recoveryCodesLeft: 0 });
  });
});

describe('after a recovery code is used', () => {
  test('a new set waits for this browser; the old set works until it is shown, then only the new one does', async () => {
    const old = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const res = await recover(bed.app, await login(bed.app), old[0]);
    expect(res.body).toEqual({ verified: true, recoveryCodesLeft: 9, newRecoveryCodes: true, redirectTo: '/2fa/recovery-codes' });
    const verified = sessionCookie(res.headers);
    // Not shown yet: the old set is still the one in force.
    expect(await bed.records.hashes(alice)).toHaveLength(9);

    const shown = await request(bed.app).get('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', verified);
    const fresh = shown.body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect(fresh.filter((code) => old.includes(code))).toEqual([]);
    expect((await request(bed.app).get('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', verified)).body.recoveryCodes).toBeNull();
    expect(bed.events.filter((e) => e.type === 'recovery_codes_generated')).toHaveLength(2);

    expect((await recover(bed.app, await login(bed.app), old[1])).body.error).toBe('invalid_code');
    expect((await recover(bed.app, await login(bed.app), fresh[0])).body).toMatchObject({ verified: true, recoveryCodesLeft: 9 });
  });

  test('browsers are sent to the recovery-codes page', async () => {
    const [code] = await mfaOf(bed.app).generateRecoveryCodes(alice);
    const res = await postForm(bed.app, '/2fa/recovery', await login(bed.app), { recoveryCode: code });
    expect([res.status, res.headers.location]).toEqual([303, '/2fa/recovery-codes']);
  });

  test('when saving the new set fails: 503, the codes stay waiting and the old set in force; shown once it works', async () => {
    let failing = false;
    const app = bed.appWith({
      recoveryCodes: {
        ...bed.records.recoveryCodes,
        saveRecoveryCodes: async (userId, hashes) => {
          if (failing) throw new Error('db down');
          await bed.records.recoveryCodes.saveRecoveryCodes(userId, hashes);
        },
      },
    });
    const old = await mfaOf(app).generateRecoveryCodes(alice);
    const verified = sessionCookie((await recover(app, await login(app), old[0])).headers);
    failing = true;
    expect((await request(app).get('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', verified)).status).toBe(503);
    expect(await bed.records.hashes(alice)).toHaveLength(9);
    failing = false;
    const fresh = (await request(app).get('/2fa/recovery-codes').set(JSON_HEADERS).set('Cookie', verified)).body.recoveryCodes as string[];
    expect(fresh).toHaveLength(10);
    expect((await recover(app, await login(app), old[1])).body.error).toBe('invalid_code');
  });
});
