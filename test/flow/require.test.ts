// requireSecondFactor: who passes, who is sent where, and failing closed when set up wrong.
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import * as mfa from '../../src';
import { getAdmin, login, loginAndVerify, postForm } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('req');

describe('requireSecondFactor', () => {
  test('no user: JSON 401, browsers go to the login page', async () => {
    const app = bed.app;
    const json = await getAdmin(app);
    expect(json.status).toBe(401);
    expect(json.body).toEqual({ error: 'authentication_required', message: 'Sign in first.' });
    const html = await request(app).get('/admin').set('Accept', 'text/html');
    expect(html.status).toBe(302);
    expect(html.headers.location).toBe('/login?returnTo=%2Fadmin');
  });

  test('signed in but not verified: 401 second_factor_required, browsers go to the challenge', async () => {
    const app = bed.app;
    const cookie = await login(app);
    const json = await getAdmin(app, cookie);
    expect(json.status).toBe(401);
    expect(json.body).toMatchObject({ error: 'second_factor_required', scope: '2FA' });
    const post = await postForm(app, '/admin/action', cookie, { verified: 'true' });
    expect(post.status).toBe(302);
    expect(post.headers.location).toBe('/2fa');
  });

  test('a verification is bound to its user', async () => {
    const app = bed.app;
    const cookie = await loginAndVerify(app, bed.emulator, 'alice');
    expect((await getAdmin(app, cookie)).status).toBe(200);
    // The same session becomes bob's without a new second factor: refused.
    await request(app).post('/switch-user-in-place').set('Cookie', cookie).send({ username: 'bob' });
    expect((await getAdmin(app, cookie)).status).toBe(401);
  });

  test('maxAgeSeconds asks again once the verification is older', async () => {
    const app = bed.app;
    const cookie = await loginAndVerify(app, bed.emulator);
    expect((await request(app).get('/admin/fresh').set('Cookie', cookie).set('Accept', 'application/json')).status).toBe(200);
    await new Promise((r) => setTimeout(r, 1200));
    const stale = await request(app).get('/admin/fresh').set('Cookie', cookie).set('Accept', 'application/json');
    expect(stale.status).toBe(401);
    expect(stale.body.error).toBe('second_factor_required');
    expect((await getAdmin(app, cookie)).status).toBe(200);
  });

  test('without middleware() installed every route refuses with 500 not_configured', async () => {
    const app = express();
    app.use(session({ secret: 's', resave: false, saveUninitialized: false }));
    app.get('/admin', mfa.requireSecondFactor(), (_req, res) => void res.send('secret'));
    app.post('/2fa/send', mfa.sendCodeRoute());
    app.post('/2fa/verify', mfa.verifyCodeRoute());
    const spy = jest.spyOn(console, 'error').mockImplementation(() => undefined);
    for (const res of [await request(app).get('/admin'), await request(app).post('/2fa/send'), await request(app).post('/2fa/verify')]) {
      expect(res.status).toBe(500);
      expect(res.body.error).toBe('not_configured');
    }
    expect(spy).toHaveBeenCalled();
    spy.mockRestore();
  });

  test('without express-session: 503, never a pass, and the operator is told why', async () => {
    const app = express();
    const logs: string[] = [];
    const logger = { warn: (m: string) => logs.push(m), error: (m: string) => logs.push(m) };
    app.use(
      mfa.middleware({
        bandwidth: { sendCode: async () => ({ id: 'x' }), verifyCode: async () => true },
        getUser: () => ({ id: 'u', phoneNumber: '+12025550101' }),
        store: mfa.memoryStore(),
        logger,
      }),
    );
    app.get('/admin', mfa.requireSecondFactor(), (_req, res) => void res.send('secret'));
    const res = await request(app).get('/admin').set('Accept', 'application/json');
    expect(res.status).toBe(503);
    expect(res.body.error).toBe('service_unavailable');
    expect(logs.join('\n')).toMatch(/mount express-session before the library routes/);
  });

  test('bad options are refused when the route is built', () => {
    expect(() => mfa.requireSecondFactor({ maxAgeSeconds: -1 })).toThrow(/maxAgeSeconds/);
    expect(() => mfa.requireSecondFactor({ scope: 'has spaces' })).toThrow(/scope/);
  });
});
