// The app's hooks cannot take the process down or leave a request hanging: one boundary answers for all of them.
import express, { type Express } from 'express';
import request from 'supertest';
import * as mfa from '../../src';
import type { MfaOptions } from '../../src';
import { JSON_HEADERS, codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('boundary');

/** Collects unhandled rejections while `work` runs, and a little after: none may appear. */
async function withoutUnhandledRejections(work: () => Promise<void>): Promise<unknown[]> {
  const seen: unknown[] = [];
  const listener = (reason: unknown) => seen.push(reason);
  process.on('unhandledRejection', listener);
  try {
    await work();
    await new Promise((r) => setTimeout(r, 100));
  } finally {
    process.off('unhandledRejection', listener);
  }
  return seen;
}

describe('a locale hook that throws', () => {
  const throwing = { locale: (req: express.Request) => (req as unknown as { user: { lang: string } }).user.lang };

  test('in an error answer: the answer is given in English and the process lives', async () => {
    const app = bed.appWith(throwing);
    const seen = await withoutUnhandledRejections(async () => {
      const res = await request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: 'authentication_required', message: 'Sign in first.' });
    });
    expect(seen).toEqual([]);
    expect(bed.logs.some((line) => /locale\(req\) threw \(TypeError\)/.test(line))).toBe(true);
  });

  test('while sending: the SMS goes out in the Accept-Language locale', async () => {
    const app = bed.appWith(throwing);
    const cookie = await login(app);
    const res = await request(app)
      .post('/2fa/send')
      .set(JSON_HEADERS)
      .set('Accept-Language', 'fr')
      .set('Cookie', cookie)
      .send({ channel: 'sms' });
    expect(res.status).toBe(200);
    expect(bed.emulator.sent[0]?.text).toMatch(/Votre code/);
  });

  test('is reported once a minute, not once a request', async () => {
    const app = bed.appWith(throwing);
    for (let i = 0; i < 5; i += 1) await request(app).post('/2fa/send').set(JSON_HEADERS).send({});
    expect(bed.logs.filter((line) => /locale\(req\) threw/.test(line))).toHaveLength(1);
  });

  test('answering something that is not a language tag falls back the same way', async () => {
    const app = bed.appWith({ locale: () => ({ lang: 'fr' }) as unknown as string });
    const res = await request(app).post('/2fa/send').set(JSON_HEADERS).set('Accept-Language', 'fr').send({});
    expect(res.body.message).toBe('Connectez-vous d’abord.');
  });
});

describe('an onEvent hook that fails', () => {
  test.each([
    [
      'throws',
      () => {
        throw new Error('audit database down');
      },
    ],
    [
      'returns a rejected promise',
      async () => {
        throw new Error('audit database down');
      },
    ],
  ])('%s: the flow goes on, the failure is logged without the event, nothing is left unhandled', async (_label, onEvent) => {
    const app = bed.appWith({ onEvent });
    const seen = await withoutUnhandledRejections(async () => {
      const cookie = await login(app);
      expect((await send(app, cookie)).status).toBe(200);
      expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);
    });
    expect(seen).toEqual([]);
    const lines = bed.logs.filter((line) => /onEvent failed/.test(line));
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toMatch(/\+1|user-alice|audit database/);
  });
});

describe('getUser that fails', () => {
  test("its error reaches the app's error handler, like any Express error; the guard grants nothing", async () => {
    const app = bed.appWith({
      getUser: async () => {
        throw new Error('users table gone');
      },
    });
    const res = await request(app).get('/admin').set(JSON_HEADERS);
    expect(res.status).toBe(500);
    expect(res.body.verified).toBeUndefined();
  });
});

describe('messages, checked at start-up like every option', () => {
  const base: MfaOptions = {
    bandwidth: { sendCode: async () => ({ id: 'm' }), verifyCode: async () => false },
    getUser: () => null,
    store: mfa.memoryStore(),
  };
  const build = (messages: unknown) => () => mfa.createMfa({ ...base, messages } as MfaOptions);

  test.each([
    [{ en: { invalid_cod: 'x' } }, /unknown option `messages\.en\.invalid_cod`\. Did you mean `messages\.en\.invalid_code`\?/],
    [{ en: { invalid_code: 42 } }, /`messages\.en\.invalid_code` must be a non-empty string; got 42/],
    [{ en: { invalid_code: '' } }, /`messages\.en\.invalid_code` must be a non-empty string/],
    [{ en: { sms_template: 'Your code' } }, /`messages\.en\.sms_template` must be text .*\{CODE\}/],
    [{ en: { minutes: { one: '{count} minute' } } }, /`messages\.en\.minutes\.other` is required/],
    [{ en: { minutes: { other: 'minutes' } } }, /`messages\.en\.minutes\.other` must be a string containing \{count\}/],
    [{ 'not a locale': {} }, /`messages` keys must be language tags/],
    [{ en: 'Wrong code.' }, /`messages\.en` must be an object of sentences/],
  ])('%p is refused with what to change', (messages, pattern) => {
    expect(build(messages)).toThrow(TypeError);
    expect(build(messages)).toThrow(pattern);
  });

  test('{attempts} in a sentence is filled with the attempts left', async () => {
    const app = bed.appWith({ messages: { en: { invalid_code: 'Wrong code: {attempts} tries left.' } } });
    const cookie = await login(app);
    await send(app, cookie);
    const res = await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    expect(res.body).toMatchObject({ error: 'invalid_code', attemptsRemaining: 4, message: 'Wrong code: 4 tries left.' });
  });
});

describe('a factory mounted without its parentheses', () => {
  function appMounting(handler: unknown): Express {
    const app = express();
    app.post('/x', handler as express.RequestHandler);
    return app;
  }

  test.each([
    ['sendCodeRoute', mfa.sendCodeRoute],
    ['verifyCodeRoute', mfa.verifyCodeRoute],
    ['requireSecondFactor', mfa.requireSecondFactor],
    ['middleware', mfa.middleware],
    ['errorHandler', mfa.errorHandler],
  ])('%s: the request fails at once with a message that says to call it', async (name, factory) => {
    const res = await request(appMounting(factory)).post('/x').timeout(2000);
    expect(res.status).toBe(500);
    expect(res.text).toContain(`Mount \`${name}()\`, with the parentheses`);
  });

  test("an instance's route factories say the same", async () => {
    const instance = mfa.createMfa({
      bandwidth: { sendCode: async () => ({ id: 'm' }), verifyCode: async () => false },
      getUser: () => null,
      store: mfa.memoryStore(),
    });
    const res = await request(appMounting(instance.sendCodeRoute)).post('/x').timeout(2000);
    expect(res.status).toBe(500);
    expect(res.text).toContain('Mount `sendCodeRoute()`');
  });
});

describe('route options', () => {
  const instance = () =>
    mfa.createMfa({
      bandwidth: { sendCode: async () => ({ id: 'm' }), verifyCode: async () => false },
      getUser: () => null,
      store: mfa.memoryStore(),
    });

  test.each([
    [{ errorPath: 'https://evil.example/2fa' }, /`recoveryRoute\.errorPath` must be a path on this site/],
    [{ errorPage: '/2fa' }, /unknown option `recoveryRoute\.errorPage`\. Did you mean `recoveryRoute\.errorPath`\?/],
    ['/2fa', /`recoveryRoute\(options\)` takes `\{ errorPath\? \}`/],
  ])('%p is refused at mount time with what to change', (options, pattern) => {
    expect(() => instance().recoveryRoute(options as never)).toThrow(pattern);
    expect(() => mfa.recoveryRoute(options as never)).toThrow(pattern);
  });
});
