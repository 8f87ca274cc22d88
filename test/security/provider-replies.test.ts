// Only Bandwidth's exact `{"valid": true}` verifies: any other reply to a verify call grants nothing.
import { type FaultSpec } from '../../src/testing';
import { codeFor, getAdmin, login, send, verify } from '../helpers/flow';
import { sessionCount } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('replies');

const REPLIES: Array<[string, FaultSpec]> = [
  ['an empty object', { body: {} }],
  ['valid as the string "true"', { body: { valid: 'true' } }],
  ['valid as 1', { body: { valid: 1 } }],
  ['valid as [true]', { body: { valid: [true] } }],
  ['Valid with a capital V', { body: { Valid: true } }],
  ['valid: true nested', { body: { data: { valid: true } } }],
  ['a bare true', { rawBody: 'true' }],
  ['an HTML page', { rawBody: '<html><body>{"valid": true}</body></html>', headers: { 'Content-Type': 'text/html' } }],
  ['an empty body', { rawBody: '' }],
  ['truncated JSON', { rawBody: '{"valid": true' }],
  ['valid: true with a redirect status', { status: 302, body: { valid: true }, headers: { Location: '/elsewhere' } }],
  ['valid: true with an error status', { status: 500, body: { valid: true } }],
];

describe('provider replies', () => {
  test.each(REPLIES)('%s never verifies', async (_label, fault) => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    bed.emulator.injectFault({ endpoint: 'verify', status: 200, ...fault });
    const res = await verify(bed.app, cookie, codeFor(bed.emulator));
    expect(res.status).not.toBe(200);
    expect(res.body.verified).toBeUndefined();
    expect(res.headers['set-cookie']).toBeUndefined();
    expect((await getAdmin(bed.app, cookie)).status).toBe(401);
    // No second session was made: nothing to hand over.
    expect(await sessionCount(bed.redis, bed.prefix)).toBe(1);
    expect(bed.emulator.requestCount('verify')).toBe(1);
  });

  test('the exact documented reply does verify, so the cases above fail for their reply alone', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    bed.emulator.injectFault({ endpoint: 'verify', status: 200, body: { valid: true } });
    expect((await verify(bed.app, cookie, '000000')).status).toBe(200);
  });
});
