// Only lines that can take a code get one: premium-rate, toll-free and other ranges SMS pumping aims at are refused before any Bandwidth call.
import type { Express } from 'express';
import request from 'supertest';
import { createMfa, memoryStore } from '../../src';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { JSON_HEADERS, login, send } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('destination-types', { lifecycle: true });

const PREMIUM_US = '+19005550123';
const TOLL_FREE_US = '+18005550199';
const PREMIUM_GB = '+449091234567';
const PREMIUM_FR = '+33891234567';
const PERSONAL_GB = '+447012345678';
const LANDLINE_DE = '+4930123456';
const MOBILE_FR = '+33612345678';

const providerCalls = () => bed.emulator.requestCount('messaging') + bed.emulator.requestCount('voice');

function enrolSend(app: Express, cookie: string, body: object, language = 'en') {
  return request(app).post('/2fa/enrol/send').set(JSON_HEADERS).set('Accept-Language', language).set('Cookie', cookie).send(body);
}

/** An app whose signed-in user has `phoneNumber` on record. */
function appFor(phoneNumber: string, mfa = {}): Express {
  return bed.appWith({
    getUser: (req) => {
      const name = (req.session as { username?: string }).username;
      return name ? { id: `user-${name}`, phoneNumber } : null;
    },
    ...mfa,
  });
}

describe('the number on record, at every send', () => {
  test.each([
    ['a US premium-rate (1-900) number', PREMIUM_US, 'sms'],
    ['a UK premium-rate (09) number', PREMIUM_GB, 'sms'],
    ['a French premium-rate (089) number', PREMIUM_FR, 'voice'],
    ['a toll-free number', TOLL_FREE_US, 'voice'],
    ['a UK personal number (070)', PERSONAL_GB, 'sms'],
    ['a landline, by SMS', LANDLINE_DE, 'sms'],
  ])('%s gets no provider call: 403 destination_not_allowed with the reason', async (_label, number, channel) => {
    const app = appFor(number);
    const res = await send(app, await login(app, 'alice'), { channel });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('destination_not_allowed');
    expect(res.body.message).toMatch(channel === 'sms' ? /by text message to this kind of number/ : /by voice call to this kind of number/);
    expect(providerCalls()).toBe(0);
    expect(bed.events.filter((e) => e.type === 'code_sent')).toEqual([]);
  });

  test('a landline gets its code by voice, a mobile by SMS', async () => {
    const landline = appFor(LANDLINE_DE);
    expect((await send(landline, await login(landline, 'alice'), { channel: 'voice' })).status).toBe(200);
    const mobile = appFor(MOBILE_FR);
    expect((await send(mobile, await login(mobile, 'bob'), { channel: 'sms' })).status).toBe(200);
    expect(bed.emulator.sent.map((s) => [s.to, s.channel])).toEqual([
      [LANDLINE_DE, 'voice'],
      [MOBILE_FR, 'sms'],
    ]);
  });

  test('allowedTypes widens what the app chose: toll-free by SMS once allowed, per channel', async () => {
    const app = appFor(TOLL_FREE_US, { phoneNumbers: { allowedTypes: { sms: ['MOBILE', 'FIXED_LINE_OR_MOBILE', 'TOLL_FREE'] } } });
    const cookie = await login(app, 'alice');
    expect((await send(app, cookie, { channel: 'voice' })).body.error).toBe('destination_not_allowed');
    expect((await send(app, cookie, { channel: 'sms' })).status).toBe(200);
  });

  test('allowedTypes narrows too: voice to mobiles only refuses a landline', async () => {
    const app = appFor(LANDLINE_DE, { phoneNumbers: { allowedTypes: { voice: ['MOBILE'] } } });
    expect((await send(app, await login(app, 'alice'), { channel: 'voice' })).body.error).toBe('destination_not_allowed');
    expect(providerCalls()).toBe(0);
  });
});

describe('an enrolment candidate', () => {
  test("a premium-rate candidate is refused before any call, in the reader's language", async () => {
    const cookie = await login(bed.app, 'carol');
    const en = await enrolSend(bed.app, cookie, { phoneNumber: PREMIUM_GB });
    expect(en.status).toBe(403);
    expect(en.body).toMatchObject({ error: 'destination_not_allowed' });
    const fr = await enrolSend(bed.app, cookie, { phoneNumber: PREMIUM_FR, channel: 'voice' }, 'fr');
    expect(fr.body.message).toMatch(/par appel vocal à ce type de numéro/);
    expect(providerCalls()).toBe(0);
  });

  test('a number whose kind the full metadata cannot tell is refused, though it reads as valid', async () => {
    // Valid for the default metadata (it passes as a number), of no known type in the full one.
    const res = await enrolSend(bed.app, await login(bed.app, 'carol'), { phoneNumber: '+77527565827', channel: 'voice' });
    expect(res.status).toBe(403);
    expect(res.body.error).toBe('destination_not_allowed');
    expect(providerCalls()).toBe(0);
  });

  test('a mobile candidate abroad gets its code', async () => {
    expect((await enrolSend(bed.app, await login(bed.app, 'carol'), { phoneNumber: '+37120000000' })).status).toBe(200);
    expect(bed.emulator.sent.map((s) => s.to)).toEqual(['+37120000000']);
  });
});

describe('the option is checked at start-up', () => {
  const base = () => ({ bandwidth: bandwidthOptionsFor(bed.emulator), getUser: () => null, store: memoryStore() });
  test.each([
    [{ allowedType: { sms: ['MOBILE'] } }, /unknown option `phoneNumbers.allowedType`. Did you mean `phoneNumbers.allowedTypes`\?/],
    [{ allowedTypes: { sm: ['MOBILE'] } }, /unknown option `phoneNumbers.allowedTypes.sm`. Did you mean `phoneNumbers.allowedTypes.sms`\?/],
    [
      { allowedTypes: { sms: ['mobile'] } },
      /`phoneNumbers.allowedTypes.sms\[0\]` must be one of MOBILE, .*; got "mobile". Did you mean "MOBILE"\?/,
    ],
    [{ allowedTypes: { voice: [] } }, /`phoneNumbers.allowedTypes.voice` must be a non-empty array/],
    [{ allowedTypes: ['MOBILE'] }, /`phoneNumbers.allowedTypes` must be an object per channel/],
  ])('%j fails with a sentence that says what to change', (phoneNumbers, message) => {
    expect(() => createMfa({ ...base(), phoneNumbers: phoneNumbers as never })).toThrow(message);
  });
});
