// The sandbox provider: a code shown once through the configured logger, checked from memory, never in production.
import express from 'express';
import session from 'express-session';
import request from 'supertest';
import { createMfa, memoryStore, sandboxProvider, type MfaOptions } from '../../src';

const USER = { id: 'user-sandbox', phoneNumber: '+12025550101' };

function sandboxApp(logs: string[], extra: Partial<MfaOptions> = {}) {
  const app = express();
  app.use(express.json());
  app.use(session({ secret: 'sandbox-test-secret', resave: false, saveUninitialized: false }));
  const mfa = createMfa({
    bandwidth: sandboxProvider(),
    getUser: (req) => ((req.session as { signedIn?: boolean }).signedIn ? USER : null),
    store: memoryStore(),
    logger: { warn: (m) => logs.push(m), error: (m) => logs.push(m) },
    enrolment: { savePhoneNumber: () => undefined, required: false },
    ...extra,
  });
  app.post('/login', (req, res) => {
    (req.session as { signedIn?: boolean }).signedIn = true;
    res.json({ ok: true });
  });
  app.get('/admin', mfa.requireSecondFactor(), (_req, res) => void res.send('inside'));
  app.post('/2fa/send', mfa.sendCodeRoute());
  app.post('/2fa/verify', mfa.verifyCodeRoute());
  app.use(mfa.errorHandler());
  return app;
}

const codeIn = (line: string | undefined): string => /code (\d+) /.exec(line ?? '')?.[1] ?? 'none';

describe('sandboxProvider()', () => {
  test('logs each code once, at warn, through the configured logger, with the number masked; that code opens the route', async () => {
    const warnings: string[] = [];
    const app = sandboxApp(warnings);
    const agent = request.agent(app);
    await agent.post('/login').expect(200);
    await agent.get('/admin').set('Accept', 'application/json').expect(401);
    await agent.post('/2fa/send').send({ channel: 'sms' }).set('Accept', 'application/json').expect(200);
    const codeLines = warnings.filter((line) => line.includes('sandbox: code'));
    expect(codeLines).toHaveLength(1);
    expect(codeLines[0]).toContain('+1******0101');
    expect(codeLines[0]).not.toContain(USER.phoneNumber);
    await agent
      .post('/2fa/verify')
      .send({ code: codeIn(codeLines[0]) })
      .set('Accept', 'application/json')
      .expect(200);
    await agent.get('/admin').expect(200, 'inside');
  });

  test('a wrong code does not pass', async () => {
    const warnings: string[] = [];
    const agent = request.agent(sandboxApp(warnings));
    await agent.post('/login').expect(200);
    await agent.post('/2fa/send').send({ channel: 'voice' }).set('Accept', 'application/json').expect(200);
    const right = codeIn(warnings.find((line) => line.includes('sandbox: code')));
    const wrong = right === '000000' ? '111111' : '000000';
    const answer = await agent.post('/2fa/verify').send({ code: wrong }).set('Accept', 'application/json').expect(400);
    expect(answer.body.error).toBe('invalid_code');
    await agent.get('/admin').set('Accept', 'application/json').expect(401);
  });

  test('the codes of one provider are not the codes of another (its memory is its own)', async () => {
    const first = sandboxProvider();
    const second = sandboxProvider();
    const lines: string[] = [];
    const logger = { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    createMfa({ bandwidth: first, getUser: () => null, store: memoryStore(), logger, enrolment: { savePhoneNumber: () => undefined } });
    await first.sendCode({ channel: 'sms', to: USER.phoneNumber, message: 'Code {CODE}', digits: 6, scope: '2FA-a' });
    const code = codeIn(lines.find((line) => line.includes('sandbox: code')));
    expect(await second.verifyCode({ to: USER.phoneNumber, code, scope: '2FA-a', expirationTimeInMinutes: 5 })).toBe(false);
    expect(await first.verifyCode({ to: USER.phoneNumber, code, scope: '2FA-a', expirationTimeInMinutes: 5 })).toBe(true);
    expect(await first.verifyCode({ to: USER.phoneNumber, code, scope: '2FA-b', expirationTimeInMinutes: 5 })).toBe(false);
  });

  describe('under NODE_ENV=production', () => {
    const before = process.env.NODE_ENV;
    afterEach(() => {
      process.env.NODE_ENV = before;
    });

    test('refuses with a TypeError that says what to use instead', () => {
      process.env.NODE_ENV = 'production';
      expect(() => sandboxProvider()).toThrow(TypeError);
      expect(() => sandboxProvider()).toThrow(/NODE_ENV=production.*Bandwidth account/);
    });
  });
});
