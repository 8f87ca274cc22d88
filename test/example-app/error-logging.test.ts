// The last-resort error handler: a session store that fails after the page went out leaves no secret in any log line.
import { createHmac, randomBytes } from 'node:crypto';
import Redis from 'ioredis';
import request from 'supertest';
import { closeClient } from '../helpers/redis';
import { freePort } from '../helpers/loopback-server';
import { privateRedis, type PrivateRedis } from '../helpers/redis-server';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';

const SECRET = 'session-secret-of-the-error-logging-test-0123456789';
const PREFIX = 'example-errors:';
// The name SET answers to on this server; under its own name SET fails with "ERR unknown command 'set', with args
// beginning with: '<key with the session id>' '<session contents>'", which is what a careless log line would carry.
const HIDDEN_SET = `SET_${randomBytes(4).toString('hex')}`;

let redis: PrivateRedis;
let client: Redis;
let instance: ExampleApp;
const printed: string[] = [];

beforeAll(async () => {
  redis = privateRedis(await freePort(), ['--rename-command', 'SET', HIDDEN_SET]);
  await redis.start();
  client = new Redis({ port: redis.port, host: '127.0.0.1', maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await closeClient(client);
  await redis.kill();
});
beforeEach(() => {
  // Whatever reaches the console (Express's default handler writes there) is captured too.
  for (const method of ['log', 'warn', 'error'] as const)
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void printed.push(args.map(String).join(' ')));
});
afterEach(async () => {
  jest.restoreAllMocks();
  printed.length = 0;
  await instance?.close();
});

/** The signed cookie express-session would set for this id. */
function signedCookie(sid: string): string {
  const signature = createHmac('sha256', SECRET).update(sid).digest('base64').replace(/=+$/, '');
  return `sid=${encodeURIComponent(`s:${sid}.${signature}`)}`;
}

describe('example app error logging', () => {
  test('a session save refused by Redis after the redirect went out: the answer ends, and no line carries the session id, cookie, token or number', async () => {
    instance = await startExampleApp({ REDIS_URL: `redis://127.0.0.1:${redis.port}`, REDIS_KEY_PREFIX: PREFIX, SESSION_SECRET: SECRET });
    const demo = await instance.accounts.findByUsername(DEMO.username);
    // A signed-in session written under SET's hidden name (so it exists), holding a token as older sessions did.
    const sid = randomBytes(24).toString('base64url');
    const csrfToken = randomBytes(32).toString('base64url');
    const session = {
      cookie: {
        originalMaxAge: 8 * 3600 * 1000,
        expires: new Date(Date.now() + 8 * 3600 * 1000).toISOString(),
        httpOnly: true,
        path: '/',
        sameSite: 'lax',
        secure: false,
      },
      userId: demo?.id,
      signedInAt: Date.now(),
      csrfToken,
    };
    await client.call(HIDDEN_SET, `${PREFIX}sess:${sid}`, JSON.stringify(session), 'EX', '3600');
    const cookie = signedCookie(sid);

    // /admin asks for a code: the library notes where to come back to, so the session must be saved after the redirect.
    const res = await request(instance.app).get('/admin').set('Accept', 'text/html').set('Cookie', cookie);
    expect(res.status).toBe(302);
    expect(res.headers.location).toBe('/2fa');
    // express-session reports the failure on the next tick; give it that tick.
    await new Promise((resolve) => setTimeout(resolve, 200));

    const lines = [...instance.logs, ...printed];
    for (const secret of [sid, cookie, encodeURIComponent(`s:${sid}`), csrfToken, DEMO.phone, demo?.id as string, 'args beginning with']) {
      const leaking = lines.filter((line) => line.includes(secret));
      expect({ secret, leaking }).toEqual({ secret, leaking: [] });
    }
    // The failure is still reported, by kind and route.
    expect(lines.join('\n')).toMatch(/Unexpected ReplyError on GET \/admin/);
  });

  test('an unexpected error before the answer is a plain 500 page, logged by kind and route only', async () => {
    instance = await startExampleApp();
    const api = request.agent(instance.app).set('Accept', 'application/json');
    await api.post('/login').send({ username: DEMO.username, password: DEMO.password });
    // The database is closed under the app: the next look-up throws with a message of the driver's.
    await instance.accounts.close();
    const res = await api.get('/admin');
    expect(res.status).toBe(500);
    expect(res.body).toEqual({ error: 'internal_error', message: 'Something went wrong.' });
    const line = instance.logs.find((l) => l.startsWith('Unexpected'));
    expect(line).toMatch(/^Unexpected \w+ on GET \/admin\./);
    expect(line).not.toContain('has already been destroyed');
  });
});
