// Cross-site request forgery: every form post needs the session's token; JSON bodies need none.
import request from 'supertest';
import { DEMO, browser, csrfOf, lastCode, sendCode, signIn, startExampleApp, type ExampleApp } from './helpers/example-app';

let instance: ExampleApp;
beforeEach(async () => {
  instance = await startExampleApp();
});
afterEach(async () => {
  await instance.close();
});

describe('example app CSRF protection', () => {
  test('a form post without the token is refused and does nothing', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    const forged = await agent.post('/2fa/send').type('form').send({ channel: 'sms' });
    expect(forged.status).toBe(403);
    expect(forged.text).toContain('Form expired');
    expect(instance.emulator?.sent).toHaveLength(0);
  });

  test('a token of another session is refused', async () => {
    const other = browser(instance.app);
    const otherToken = csrfOf((await other.get('/login')).text);
    const agent = browser(instance.app);
    await agent.get('/login');
    const res = await agent.post('/login').type('form').send({ _csrf: otherToken, username: DEMO.username, password: DEMO.password });
    expect(res.status).toBe(403);
    expect((await agent.get('/admin')).headers.location).toBe('/login?returnTo=%2Fadmin');
  });

  test('a wrong token of the right length is refused', async () => {
    const agent = browser(instance.app);
    const token = csrfOf((await agent.get('/login')).text);
    const flipped = (token[0] === 'A' ? 'B' : 'A') + token.slice(1);
    const res = await agent.post('/login').type('form').send({ _csrf: flipped, username: DEMO.username, password: DEMO.password });
    expect(res.status).toBe(403);
  });

  test('a verify form without the token cannot spend the code, and sign-out needs it too', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const forged = await agent.post('/2fa/verify').type('form').send({ code: lastCode(instance.emulator) });
    expect(forged.status).toBe(403);
    expect(instance.emulator?.requestCount('verify')).toBe(0);
    expect((await agent.post('/logout')).status).toBe(403);
    expect((await agent.get('/2fa')).status).toBe(200);
  });

  test('text/plain posts (which a cross-site form can send) need the token', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    const res = await agent.post('/2fa/send').set('Content-Type', 'text/plain').send('{"channel":"sms"}');
    expect(res.status).toBe(403);
    expect(instance.emulator?.sent).toHaveLength(0);
  });

  test('JSON requests go through without a token (browsers cannot send them cross-site without CORS)', async () => {
    const api = request.agent(instance.app);
    const login = await api.post('/login').set('Accept', 'application/json').send({ username: DEMO.username, password: DEMO.password });
    expect(login.status).toBe(200);
    const sent = await api.post('/2fa/send').send({ channel: 'sms' });
    expect(sent.status).toBe(200);
    // No CORS: a preflight gets no Access-Control-Allow-* answer.
    const preflight = await api.options('/2fa/send').set('Origin', 'https://evil.example').set('Access-Control-Request-Method', 'POST');
    expect(preflight.headers['access-control-allow-origin']).toBeUndefined();
  });
});
