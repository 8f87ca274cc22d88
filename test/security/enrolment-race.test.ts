// Two sessions of one user enrol at once, Bandwidth slow on one: only the verify that consumed the challenge saves its number.
import type { Express } from 'express';
import request from 'supertest';
import { JSON_HEADERS, login } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('enrol-race', { lifecycle: true });

const NUMBER_A = '+12015550133';
const NUMBER_B = '+12015550144';

const enrolSend = (app: Express, cookie: string, phoneNumber: string) =>
  request(app).post('/2fa/enrol/send').set(JSON_HEADERS).set('Cookie', cookie).send({ phoneNumber });
const enrolVerify = (app: Express, cookie: string, code: string) =>
  request(app).post('/2fa/enrol/verify').set(JSON_HEADERS).set('Cookie', cookie).send({ code });

async function until(condition: () => boolean): Promise<void> {
  while (!condition()) await new Promise((resolve) => setTimeout(resolve, 10));
}

test('a verify whose provider check was slow loses to the session that changed the number since: it saves nothing', async () => {
  const app = bed.appWith({ resendCooldownSeconds: 1 });
  const [sessionA, sessionB] = [await login(app, 'carol'), await login(app, 'carol')];
  expect((await enrolSend(app, sessionA, NUMBER_A)).status).toBe(200);
  const cooldownOver = new Promise((resolve) => setTimeout(resolve, 1100));
  const codeA = bed.emulator.lastCode(NUMBER_A) as string;

  // A's check reaches Bandwidth and waits there (within the client's 2 s deadline); B sends, verifies and saves its own number meanwhile.
  bed.emulator.injectFault({ endpoint: 'verify', delayMs: 1800, times: 1 });
  const verifiesBefore = bed.emulator.requestCount('verify');
  const slowA = enrolVerify(app, sessionA, codeA).then((res) => res);
  await until(() => bed.emulator.requestCount('verify') > verifiesBefore);
  await cooldownOver;
  expect((await enrolSend(app, sessionB, NUMBER_B)).status).toBe(200);
  expect((await enrolVerify(app, sessionB, bed.emulator.lastCode(NUMBER_B) as string)).status).toBe(200);

  const answerA = await slowA;
  expect(answerA.status).toBe(400);
  expect(answerA.body.error).toBe('invalid_code');
  expect((await bed.records.find('user-carol')).phoneNumber).toBe(NUMBER_B);
  expect(bed.events.filter((e) => e.type === 'phone_enrolled').map((e) => e.maskedPhoneNumber)).toEqual(['+1******0144']);
  expect(bed.events).toContainEqual(
    expect.objectContaining({ type: 'code_rejected', reason: 'challenge_used', maskedPhoneNumber: '+1******0133' }),
  );
});
