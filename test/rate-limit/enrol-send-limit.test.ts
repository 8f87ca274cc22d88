// sendRateLimit in front of the enrolment send: browsers over the limit land back on the enrolment page, with the message.
import request from 'supertest';
import { sendRateLimit } from '../../src';
import { createTestApp } from '../helpers/create-app';
import { JSON_HEADERS, login, postForm } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('enrol-send-limit', { lifecycle: true });

function appWithEnrolLimit(limit = 1) {
  return createTestApp({
    redis: bed.redis,
    prefix: bed.prefix,
    emulator: bed.emulator,
    lifecycle: bed.records,
    logs: bed.logs,
    beforeEnrolSend: (instance) => [
      instance.sendRateLimit({ redis: bed.redis, limit, prefix: `${bed.prefix}enrol-ip:`, errorPath: '/2fa/enrol' }),
    ],
  });
}

test('a browser over the limit goes back to the enrolment form with send_limit_reached and the wait', async () => {
  const app = appWithEnrolLimit();
  const cookie = await login(app, 'carol');
  const form = (phoneNumber: string) => postForm(app, '/2fa/enrol/send', cookie, { phoneNumber });
  expect((await form('+12015550133')).headers.location).toBe('/2fa/enrol?sent=sms');
  const refused = await form('+12015550144');
  expect(refused.status).toBe(303);
  expect(refused.headers.location).toMatch(/^\/2fa\/enrol\?error=send_limit_reached&wait=\d+$/);
  expect(refused.headers.location).toContain(`wait=${refused.headers['retry-after']}`);
  // What that page then shows for the query it was given.
  const text = await request(app)
    .get(`/2fa/error-text?${String(refused.headers.location).split('?')[1]}`)
    .set('Cookie', cookie);
  expect(text.body.text).toMatch(/^Too many codes were requested\. Try again in \d+ minutes?\.$/);
  expect(bed.emulator.sent.map((sent) => sent.to)).toEqual(['+12015550133']);
});

test('API clients get the JSON answer, wherever errorPath points', async () => {
  const app = appWithEnrolLimit();
  const cookie = await login(app, 'carol');
  const json = (phoneNumber: string) => request(app).post('/2fa/enrol/send').set(JSON_HEADERS).set('Cookie', cookie).send({ phoneNumber });
  expect((await json('+12015550133')).status).toBe(200);
  const refused = await json('+12015550144');
  expect(refused.status).toBe(429);
  expect(refused.body).toMatchObject({ error: 'send_limit_reached', retryAfterSeconds: expect.any(Number) });
});

test('an errorPath that is not a path on this site is refused at start-up', () => {
  expect(() => sendRateLimit({ errorPath: 'https://elsewhere.example/' })).toThrow(
    /`sendRateLimit.errorPath` must be a path on this site such as "\/2fa"; got "https:\/\/elsewhere.example\/"/,
  );
  expect(() => sendRateLimit({ errorPath: '//elsewhere.example' })).toThrow(/sendRateLimit.errorPath/);
});
