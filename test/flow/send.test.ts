// Sending codes: who may send, to which number, how often, and what the session records.
import express from 'express';
import session from 'express-session';
import { memoryStore, middleware, sendCodeRoute, verifyCodeRoute } from '../../src';
import { bandwidthOptionsFor, USERS } from '../helpers/create-app';
import { login, send, verify } from '../helpers/flow';
import { sessionKey } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';
import request from 'supertest';

const bed = useTestBed('send');

describe('sending a code', () => {
  test('sends by SMS to the number from getUser and reports a masked number', async () => {
    const cookie = await login(bed.app);
    const res = await send(bed.app, cookie);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      sent: true,
      channel: 'sms',
      maskedPhoneNumber: '+1******0101',
      expiresInSeconds: 300,
      resendAvailableInSeconds: 30,
    });
    expect(bed.emulator.sent).toHaveLength(1);
    expect(bed.emulator.sent[0]).toMatchObject({
      channel: 'sms',
      to: USERS.alice?.phoneNumber,
      applicationId: 'messaging-app-id',
      digits: 6,
    });
    expect(bed.emulator.sent[0]?.scope).toMatch(/^2FA-[0-9a-f]{8}$/);
  });

  test('sends by voice with the voice application', async () => {
    const cookie = await login(bed.app);
    const res = await send(bed.app, cookie, { channel: 'voice' });
    expect(res.status).toBe(200);
    expect(bed.emulator.sent[0]).toMatchObject({ channel: 'voice', applicationId: 'voice-app-id' });
  });

  test('ignores a number or user id in the body', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie, { channel: 'sms', to: '+12025559999', phoneNumber: '+12025559999', userId: 'user-bob' });
    expect(bed.emulator.sent.map((s) => s.to)).toEqual([USERS.alice?.phoneNumber]);
  });

  test.each([['email'], [['sms']], [{ sms: true }], [1]])('refuses channel %j with 400 and no send', async (channel) => {
    const cookie = await login(bed.app);
    const res = await send(bed.app, cookie, { channel });
    expect(res.status).toBe(400);
    expect(res.body.error).toBe('invalid_request');
    expect(bed.emulator.requestCount('messaging')).toBe(0);
  });

  test('refuses without a signed-in user', async () => {
    const res = await request(bed.app).post('/2fa/send').set('Accept', 'application/json').send({ channel: 'sms' });
    expect(res.status).toBe(401);
    expect(res.body).toMatchObject({ error: 'authentication_required' });
    expect(bed.emulator.sent).toHaveLength(0);
  });

  test('a resend within the cooldown is refused with Retry-After, across sessions', async () => {
    const first = await login(bed.app);
    expect((await send(bed.app, first)).status).toBe(200);
    const second = await login(bed.app);
    const res = await send(bed.app, second, { channel: 'voice' });
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('resend_cooldown');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(25);
    expect(res.body.retryAfterSeconds).toBe(Number(res.headers['retry-after']));
    expect(res.body.message).toMatch(/another in \d+ seconds/);
    expect(bed.emulator.sent).toHaveLength(1);
  });

  test('the hourly cap holds across sessions', async () => {
    const app = bed.appWith({ resendCooldownSeconds: 1, maxSendsPerHour: 2 });
    for (let i = 0; i < 2; i += 1) {
      expect((await send(app, await login(app))).status).toBe(200);
      await new Promise((r) => setTimeout(r, 1100));
    }
    const res = await send(app, await login(app));
    expect(res.status).toBe(429);
    expect(res.body.error).toBe('send_limit_reached');
    expect(res.body.retryAfterSeconds).toBeGreaterThan(3500);
    expect(bed.emulator.sent).toHaveLength(2);
  });

  test("a provider failure that sent nothing (Bandwidth's own 400) releases the cooldown", async () => {
    const cookie = await login(bed.app);
    bed.emulator.injectFault({ endpoint: 'messaging', status: 400, times: 1 });
    const failed = await send(bed.app, cookie);
    expect(failed.status).toBe(502);
    expect(failed.body.error).toBe('provider_misconfigured');
    expect(failed.headers['retry-after']).toBe('30');
    const retried = await send(bed.app, cookie);
    expect(retried.status).toBe(200);
  });

  test('the challenge state tells the page what to show', async () => {
    const cookie = await login(bed.app);
    await send(bed.app, cookie);
    const res = await request(bed.app).get('/2fa/state').set('Cookie', cookie);
    expect(res.body).toMatchObject({
      signedIn: true,
      maskedPhoneNumber: '+1******0101',
      lockedOutForSeconds: 0,
      verified: false,
      scope: '2FA',
      pending: { channel: 'sms', maskedPhoneNumber: '+1******0101', scope: '2FA' },
    });
    expect(res.body.resendAvailableInSeconds).toBeGreaterThan(25);
  });

  test('the routes take POST only, even when mounted for every method', async () => {
    const loose = express();
    loose.use(session({ secret: 'x', resave: false, saveUninitialized: false }));
    loose.use(middleware({ bandwidth: bandwidthOptionsFor(bed.emulator), getUser: () => USERS.alice ?? null, store: memoryStore() }));
    loose.all('/2fa/send', sendCodeRoute());
    loose.all('/2fa/verify', verifyCodeRoute());
    for (const path of ['/2fa/send', '/2fa/verify']) {
      const res = await request(loose).get(`${path}?channel=sms`).set('Accept', 'application/json');
      expect(res.status).toBe(405);
      expect(res.headers.allow).toBe('POST');
      expect(res.body).toMatchObject({ error: 'invalid_request' });
    }
    expect(bed.emulator.requestCount()).toBe(0);
  });
});

describe('a refused send or verify', () => {
  test('leaves the session as it was: nothing for express-session to write back', async () => {
    const app = bed.app;
    const cookie = await login(app);
    const key = sessionKey(bed.prefix, cookie);
    const before = await bed.redis.get(key);
    bed.emulator.injectFault({ endpoint: 'messaging', status: 500, times: 1 });
    expect((await send(app, cookie)).status).toBe(502);
    expect((await verify(app, cookie, '123456')).body.error).toBe('no_pending_challenge');
    expect(await bed.redis.get(key)).toBe(before);
  });
});
