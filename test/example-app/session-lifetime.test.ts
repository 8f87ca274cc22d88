// SESSION_ABSOLUTE_HOURS: a sign-in ends that long after it happened, however busy the session was; the clock is moved, not waited for.
import request from 'supertest';
import { DEMO, startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser, sessionCookieOf } from './helpers/form-browser';
import { signInWithCode } from './helpers/sign-in-steps';

const HOUR = 3600 * 1000;
let instance: ExampleApp;
afterEach(async () => {
  jest.restoreAllMocks();
  await instance?.close();
});

/** Date.now() moved forward by `ms` from the real clock of the moment it is called. */
function clockAhead() {
  const realNow = Date.now.bind(Date);
  let offset = 0;
  jest.spyOn(Date, 'now').mockImplementation(() => realNow() + offset);
  return (ms: number) => {
    offset = ms;
  };
}

describe('example app absolute session lifetime', () => {
  test('an active session ends 12 hours after sign-in by default, though it never sat idle', async () => {
    instance = await startExampleApp();
    const agent = browser(instance.app);
    const verified = await signInWithCode(agent, instance.emulator);
    const cookie = sessionCookieOf(verified.headers);
    const adminWith = () => request(instance.app).get('/admin').set('Accept', 'application/json').set('Cookie', cookie);
    const moveTo = clockAhead();
    // The cookie replayed as is (as a stolen one would be, whatever its Expires): a request every 4 hours keeps the
    // store's 8-hour idle expiry moving, so only the absolute limit can end it.
    for (const hours of [4, 8, 11.9]) {
      moveTo(hours * HOUR);
      const res = await adminWith();
      expect([hours, res.status]).toEqual([hours, 200]);
    }
    moveTo(12 * HOUR + 60_000);
    const late = await adminWith();
    expect(late.status).toBe(401);
    expect(late.body.error).toBe('authentication_required');

    // The old session was destroyed in the store: its cookie opens nothing, even with the clock put back.
    jest.restoreAllMocks();
    expect((await adminWith()).status).toBe(401);
    // The browser, for its part, is sent to sign in again.
    expect((await agent.get('/admin')).headers.location).toBe('/login?returnTo=%2Fadmin');
  });

  test('SESSION_ABSOLUTE_HOURS=1 ends it after an hour; signing in again starts a new lifetime', async () => {
    instance = await startExampleApp({ SESSION_ABSOLUTE_HOURS: '1' });
    const signIn = async () =>
      sessionCookieOf(
        (
          await request(instance.app)
            .post('/login')
            .set('Accept', 'application/json')
            .send({ username: DEMO.username, password: DEMO.password })
        ).headers,
      );
    const stateWith = async (cookie: string) =>
      (await request(instance.app).get('/2fa').set('Accept', 'application/json').set('Cookie', cookie)).headers.location ?? 'signed in';
    const first = await signIn();
    const moveTo = clockAhead();
    moveTo(59 * 60_000);
    expect(await stateWith(first)).toBe('signed in');
    moveTo(61 * 60_000);
    expect(await stateWith(first)).toBe('/login');

    const second = await signIn();
    moveTo(61 * 60_000 + 59 * 60_000);
    expect(await stateWith(second)).toBe('signed in');
    moveTo(61 * 60_000 + 61 * 60_000);
    expect(await stateWith(second)).toBe('/login');
  });

  test('the session cookie never outlives the absolute limit', async () => {
    instance = await startExampleApp({ SESSION_ABSOLUTE_HOURS: '2' });
    const login = await request(instance.app)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: DEMO.username, password: DEMO.password });
    const sid = (login.headers['set-cookie'] as unknown as string[]).find((c) => c.startsWith('sid=')) as string;
    const expires = /Expires=([^;]+)/.exec(sid)?.[1];
    expect(new Date(expires as string).getTime() - Date.now()).toBeLessThanOrEqual(2 * HOUR + 5000);
  });
});
