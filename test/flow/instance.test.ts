// `createMfa(options)`: an instance owns its configuration; its routes need no `middleware()` and never see another instance's.
import express, { type Express, type Request } from 'express';
import session from 'express-session';
import request from 'supertest';
import { createMfa, redisStore, type Mfa, type MfaOptions } from '../../src';
import { userKeys } from '../../src/flow/keys';
import { bandwidthOptionsFor, USERS } from '../helpers/create-app';
import { JSON_HEADERS } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('instance');

/** An app with two instances (two stores, two login scopes) and no `middleware()` at all. */
function appWithInstances(): { app: Express; one: Mfa; two: Mfa } {
  const base = (suffix: string, scope: string): MfaOptions => ({
    bandwidth: bandwidthOptionsFor(bed.emulator),
    getUser: (req: Request) => USERS[(req.session as { username?: string }).username ?? ''] ?? null,
    store: redisStore(bed.redis, { prefix: `${bed.prefix}${suffix}:` }),
    scope,
    onEvent: (event) => void bed.events.push(event),
    logger: { warn: (m) => bed.logs.push(m), error: (m) => bed.logs.push(m) },
  });
  const one = createMfa(base('one', 'ONE'));
  const two = createMfa(base('two', 'TWO'));
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'instance-test-secret', resave: false, saveUninitialized: false }));
  app.post('/login', (req, res) => {
    (req.session as { username?: string }).username = 'alice';
    res.json({ ok: true });
  });
  for (const [name, mfa] of [
    ['one', one],
    ['two', two],
  ] as const) {
    app.post(`/${name}/send`, mfa.sendCodeRoute());
    app.post(`/${name}/verify`, mfa.verifyCodeRoute());
    app.get(`/${name}/admin`, mfa.requireSecondFactor(), (_req, res) => void res.json({ admin: name }));
    app.get(`/${name}/state`, async (req, res) => void res.json(await mfa.getChallengeState(req)));
  }
  app.use(one.errorHandler());
  return { app, one, two };
}

function cookieOf(headers: Record<string, unknown>): string {
  return ((headers['set-cookie'] as string[] | undefined)?.[0] ?? '').split(';')[0] as string;
}

test('routes bound to an instance work without middleware(), and each instance keeps to its own scope and store', async () => {
  const { app } = appWithInstances();
  let cookie = cookieOf((await request(app).post('/login').set(JSON_HEADERS)).headers);
  expect((await request(app).get('/one/admin').set(JSON_HEADERS).set('Cookie', cookie)).body).toMatchObject({
    error: 'second_factor_required',
    scope: 'ONE',
  });

  expect((await request(app).post('/one/send').set(JSON_HEADERS).set('Cookie', cookie).send({})).status).toBe(200);
  const verified = await request(app)
    .post('/one/verify')
    .set(JSON_HEADERS)
    .set('Cookie', cookie)
    .send({ code: bed.emulator.lastCode(USERS.alice!.phoneNumber) });
  expect(verified.status).toBe(200);
  cookie = cookieOf(verified.headers);

  expect((await request(app).get('/one/admin').set(JSON_HEADERS).set('Cookie', cookie)).status).toBe(200);
  // The other instance asks for its own scope, and its store never saw the first one's cooldown.
  expect((await request(app).get('/two/admin').set(JSON_HEADERS).set('Cookie', cookie)).body).toMatchObject({ scope: 'TWO' });
  expect((await request(app).post('/two/send').set(JSON_HEADERS).set('Cookie', cookie).send({})).status).toBe(200);
  expect((await bed.redis.keys(`${bed.prefix}one:*`)).length).toBeGreaterThan(0);
  expect((await request(app).get('/two/state').set(JSON_HEADERS).set('Cookie', cookie)).body).toMatchObject({ scope: 'TWO', digits: 6 });
});

test("the code_sent event carries the provider's message id, for support cases", async () => {
  const { app } = appWithInstances();
  const cookie = cookieOf((await request(app).post('/login').set(JSON_HEADERS)).headers);
  await request(app).post('/one/send').set(JSON_HEADERS).set('Cookie', cookie).send({ channel: 'sms' });
  const sent = bed.events.find((e) => e.type === 'code_sent');
  expect(sent?.messageId).toBe(bed.emulator.sent[0]?.id);
  expect(sent?.callId).toBeUndefined();
});

test("operator calls act on their own instance's store only", async () => {
  const { one, two } = appWithInstances();
  await bed.redis.set(`${bed.prefix}two:${userKeys('user-alice').lockout}`, 'attempts_exhausted', 'EX', 60);
  await one.unlockUser('user-alice');
  expect(await bed.redis.keys(`${bed.prefix}two:*:lockout`)).toHaveLength(1);
  await two.unlockUser('user-alice', { actor: 'ops' });
  expect(await bed.redis.keys(`${bed.prefix}two:*:lockout`)).toHaveLength(0);
  await expect(one.unlockUser('')).rejects.toThrow(/needs the user id/);
  await expect(one.revokeTrustedDevice('user-alice', 'not a device id!')).rejects.toThrow(/device id/);
});
