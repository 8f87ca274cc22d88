// Codes that are not plain ASCII digits of the configured length: refused as 400 before Bandwidth or the attempt counter sees them.
import request from 'supertest';
import { JSON_HEADERS, codeFor, login, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('format');

const JSON_CODES: Array<[string, unknown]> = [
  ['an array', ['123456']],
  ['an array of digits', [1, 2, 3, 4, 5, 6]],
  ['an object', { code: '123456' }],
  ['a NoSQL operator', { $ne: '' }],
  ['a regex operator', { $regex: '^\\d+$' }],
  ['a number', 123456],
  ['a number in exponent form', 1e5],
  ['a negative number', -12345],
  ['a fraction', 12345.6],
  ['true', true],
  ['null', null],
  ['an empty string', ''],
  ['full-width digits', '１２３４５６'],
  ['Arabic-Indic digits', '١٢٣٤٥٦'],
  ['Devanagari digits', '१२३४५६'],
  ['superscript digits', '¹²³⁴⁵⁶'],
  ['a leading space', ' 12345'],
  ['a trailing newline', '12345\n'],
  ['a tab inside', '123\t45'],
  ['a zero-width space', '123\u200b45'],
  ['a sign', '+12345'],
  ['a decimal point', '1234.5'],
  ['hex', '0x1234'],
  ['too short', '12345'],
  ['too long', '1234567'],
  ['10 000 characters', '1'.repeat(10_000)],
  ['letters', 'abcdef'],
  ['a NUL byte', '12345\u0000'],
];

describe('code format', () => {
  test.each(JSON_CODES)('a code that is %s is 400 invalid_request with no provider call', async (_label, code) => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await verify(bed.app, cookie, code);
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(bed.emulator.requestCount('verify')).toBe(0);
  });

  test('a body with no code field at all is 400 with no provider call', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await request(bed.app).post('/2fa/verify').set(JSON_HEADERS).set('Cookie', cookie).send({ otp: '123456' });
    expect(res.status).toBe(400);
    expect(bed.emulator.requestCount('verify')).toBe(0);
  });

  test.each([
    ['a repeated field (an array)', 'code=123456&code=654321'],
    ['a bracketed field', 'code[]=123456'],
    ['an encoded space', 'code=12345%20'],
    ['a percent-encoded full-width digit', `code=12345${encodeURIComponent('６')}`],
  ])('a form body with %s is 400 with no provider call', async (_label, body) => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await request(bed.app).post('/2fa/verify').set(JSON_HEADERS).set('Cookie', cookie).type('form').send(body);
    expect(res.status).toBe(400);
    expect(bed.emulator.requestCount('verify')).toBe(0);
  });

  test('malformed codes are not counted as attempts: after more of them than the limit, the right code still works', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    for (const [, code] of JSON_CODES.slice(0, 12)) expect((await verify(bed.app, cookie, code)).status).toBe(400);
    expect((await verify(bed.app, cookie, codeFor(bed.emulator))).status).toBe(200);
  });

  test('the length follows `digits`: with 8 digits, a 6-digit code is refused unasked', async () => {
    const app = bed.appWith({ digits: 8 });
    const cookie = await login(app);
    await send(app, cookie);
    expect(bed.emulator.sent[0]?.digits).toBe(8);
    const res = await verify(app, cookie, codeFor(bed.emulator).slice(0, 6));
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(bed.emulator.requestCount('verify')).toBe(0);
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);
  });
});
