// connect-redis 9 and node-redis v5: one client holds the sessions and the MFA store through the whole flow; given ioredis, connect-redis 9 cannot save.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { RedisStore as RedisStoreForNodeRedis } from 'connect-redis9';
import { sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, getAdmin, login, send, verify, wrongCode } from '../helpers/flow';
import { keysUnder } from '../helpers/store-keys';
import { useTestBed } from '../helpers/test-bed';

/** The version of an installed package, also when its `exports` do not list its package.json. */
function installedVersion(name: string): string {
  const manifest = readFileSync(path.join(__dirname, '..', '..', 'node_modules', name, 'package.json'), 'utf8');
  return (JSON.parse(manifest) as { version: string }).version;
}

const bed = useTestBed('connect-redis9', { nodeRedis: true });

test('the app really runs on connect-redis 9 and node-redis 5', () => {
  expect(installedVersion('connect-redis9')).toMatch(/^9\./);
  expect(installedVersion('redis')).toMatch(/^5\./);
});

test('sign in, send, verify, open the guarded route, with sessions and store on one node-redis client', async () => {
  const cookie = await login(bed.app);
  expect((await getAdmin(bed.app, cookie)).status).toBe(401);
  expect((await send(bed.app, cookie)).status).toBe(200);
  const verified = await verify(bed.app, cookie, codeFor(bed.emulator));
  expect(verified.status).toBe(200);
  expect((await getAdmin(bed.app, sessionCookie(verified.headers))).status).toBe(200);
  // Both halves wrote through that client: the session (connect-redis 9) and the user's records (redisStore).
  expect(await keysUnder(bed.redis, `${bed.prefix}sess:*`)).not.toHaveLength(0);
  expect(await keysUnder(bed.redis, `${bed.prefix}mfa:*`)).not.toHaveLength(0);
});

test('five wrong codes lock the user, and the lockout holds for a new session', async () => {
  const cookie = await login(bed.app);
  await send(bed.app, cookie);
  const wrong = wrongCode(codeFor(bed.emulator));
  for (let i = 0; i < 4; i += 1)
    expect((await verify(bed.app, cookie, wrong)).body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4 - i });
  const locked = await verify(bed.app, cookie, wrong);
  expect(locked.status).toBe(429);
  expect(locked.body).toMatchObject({ error: 'locked_out' });
  expect((await send(bed.app, await login(bed.app))).body).toMatchObject({ error: 'locked_out' });
});

test('connect-redis 9 given an ioredis client fails every session save (ERR syntax error) after answering, so the user is signed out', async () => {
  const app = express();
  app.use(
    session({
      store: new RedisStoreForNodeRedis({ client: bed.redis, prefix: `${bed.prefix}sess:` }),
      secret: 'test-secret',
      resave: false,
      saveUninitialized: false,
      name: 'sid',
    }),
  );
  app.post('/login', (req, res) => {
    (req.session as { username?: string }).username = 'alice';
    res.json({ ok: true });
  });
  app.get('/me', (req, res) => void res.json({ username: (req.session as { username?: string }).username ?? null }));
  const errors: string[] = [];
  // express-session saves while the answer is sent, so the failure only reaches the error handler afterwards.
  app.use((error: Error, _req: express.Request, res: express.Response, next: express.NextFunction) => {
    errors.push(error.message);
    if (!res.headersSent) next(error);
  });
  const signedIn = await request(app).post('/login').set(JSON_HEADERS);
  expect(signedIn.status).toBe(200);
  // The failure is handed on with setImmediate, possibly after the answer reached us.
  for (let i = 0; i < 100 && errors.length === 0; i += 1) await new Promise((resolve) => setTimeout(resolve, 10));
  expect(errors).toEqual([expect.stringMatching(/ERR syntax error/)]);
  expect(await keysUnder(bed.redis, `${bed.prefix}sess:*`)).toEqual([]);
  const me = await request(app).get('/me').set(JSON_HEADERS).set('Cookie', sessionCookie(signedIn.headers));
  expect(me.body).toEqual({ username: null });
});
