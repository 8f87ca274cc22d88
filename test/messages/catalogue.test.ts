// Every sentence comes from one catalogue per locale: picked from Accept-Language or `locale(req)`, overridable.
import type { Express } from 'express';
import request from 'supertest';
import { memoryStore, middleware } from '../../src';
import { en } from '../../src/messages/en';
import { fr } from '../../src/messages/fr';
import { codeFor, login, postForm, wrongCode } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('i18n');

const post = (app: Express, path: string, cookie: string, body: object, language?: string) => {
  const req = request(app).post(path).set('Accept', 'application/json').set('Cookie', cookie);
  return (language ? req.set('Accept-Language', language) : req).send(body);
};

describe('the catalogues shipped', () => {
  const placeholders = (text: string) => (text.match(/\{[A-Za-z]+\}/g) ?? []).sort();

  test('French has every English sentence, with the same placeholders', () => {
    for (const key of Object.keys(en) as Array<keyof typeof en>) {
      const english = en[key];
      const french = fr[key];
      expect(french).toBeDefined();
      if (typeof english === 'string') {
        expect(typeof french).toBe('string');
        expect(placeholders(french as string)).toEqual(placeholders(english));
        expect(french).not.toBe(english);
      }
    }
  });
});

describe('choosing the language', () => {
  test('Accept-Language: fr answers errors in French, waits included', async () => {
    const app = bed.appWith({ maxAttempts: 1 });
    const cookie = await login(app);
    await post(app, '/2fa/send', cookie, { channel: 'sms' }, 'fr-CA,fr;q=0.9,en;q=0.5');
    const res = await post(app, '/2fa/verify', cookie, { code: wrongCode(codeFor(bed.emulator)) }, 'fr-CA,fr;q=0.9');
    expect(res.status).toBe(429);
    expect(res.body.message).toBe('Trop de tentatives. Réessayez dans 15 minutes.');
    const english = await post(app, '/2fa/verify', cookie, { code: '123456' }, 'en-GB');
    expect(english.body.message).toBe('Too many attempts. Try again in 15 minutes.');
  });

  test('the SMS is written in the language of the request', async () => {
    const app = bed.app;
    const cookie = await login(app);
    await post(app, '/2fa/send', cookie, { channel: 'sms' }, 'fr');
    expect(bed.emulator.sent[0]?.text).toMatch(/^Votre code de vérification Emulated App est \d{6}\./);
  });

  test('an unknown language falls back to English', async () => {
    const app = bed.app;
    const cookie = await login(app);
    const res = await post(app, '/2fa/verify', cookie, { code: '123456' }, 'tlh');
    expect(res.body).toMatchObject({ error: 'no_pending_challenge', message: 'Request a code first.' });
  });

  test('locale(req) wins over Accept-Language', async () => {
    const app = bed.appWith({ locale: () => 'fr' });
    const cookie = await login(app);
    const res = await post(app, '/2fa/verify', cookie, { code: '123456' }, 'en');
    expect(res.body.message).toBe('Demandez d’abord un code.');
  });
});

describe('errorMessage(req) for pages that show ?error=', () => {
  const text = (app: Express, query: string, language = 'en') =>
    request(app)
      .get(`/2fa/error-text?${query}`)
      .set('Accept-Language', language)
      .then((res) => res.body.text as string | null);

  test('a browser that gets locked out is sent to the page with the code and the wait, which it renders in its language', async () => {
    const app = bed.appWith({ maxAttempts: 1 });
    const cookie = await login(app);
    await post(app, '/2fa/send', cookie, { channel: 'sms' });
    const res = await postForm(app, '/2fa/verify', cookie, { code: wrongCode(codeFor(bed.emulator)) });
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/2fa?error=locked_out&wait=900');
    expect(await text(app, 'error=locked_out&wait=900', 'fr')).toBe('Trop de tentatives. Réessayez dans 15 minutes.');
  });

  test('no wait or a nonsense wait reads "a moment"; an unknown code or markup is never echoed', async () => {
    const app = bed.app;
    expect(await text(app, 'error=locked_out')).toBe('Too many attempts. Try again in a moment.');
    expect(await text(app, 'error=locked_out&wait=-5')).toBe('Too many attempts. Try again in a moment.');
    expect(await text(app, 'error=%3Cscript%3E')).toBeNull();
    expect(await text(app, 'error=constructor')).toBeNull();
    expect(await text(app, 'error=invalid_request')).toBe('Enter the 6-digit code we sent you, digits only.');
  });
});

describe('overriding and extending', () => {
  test('an app replaces one sentence and adds a language key by key, English filling the gaps', async () => {
    const app = bed.appWith({
      messages: {
        en: { no_pending_challenge: 'Ask for a code first, please.' },
        de: { no_pending_challenge: 'Fordern Sie zuerst einen Code an.', minutes: { one: '{count} Minute', other: '{count} Minuten' } },
      },
    });
    const cookie = await login(app);
    expect((await post(app, '/2fa/verify', cookie, { code: '123456' }, 'en')).body.message).toBe('Ask for a code first, please.');
    expect((await post(app, '/2fa/verify', cookie, { code: '123456' }, 'de')).body.message).toBe('Fordern Sie zuerst einen Code an.');
    expect((await post(app, '/2fa/verify', cookie, { code: 'abc' }, 'de')).body.message).toBe(
      'Enter the 6-digit code we sent you, digits only.',
    );
  });

  test('an SMS template without {CODE} is refused at start-up', () => {
    const provider = { sendCode: async () => ({ id: 'x' }), verifyCode: async () => false };
    expect(() =>
      middleware({ bandwidth: provider, getUser: () => null, store: memoryStore(), messages: { fr: { sms_template: 'Votre code' } } }),
    ).toThrow(/messages\.fr\.sms_template.*\{CODE\}/);
  });
});
