// The built-in page's passkey card: offered to a user who has a passkey, alone on a phishing-resistant route, no inline script.
import express from 'express';
import request from 'supertest';
import { login } from '../helpers/flow';
import { passkeyRecords, ORIGIN, RP_ID, type PasskeyRecords } from '../helpers/passkey-records';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { CSRF_TOKEN, usePageBed } from './page-app';
import { byId, markupProblems, tags } from './markup';

const bed = usePageBed('page-passkeys');
let records: PasskeyRecords;

beforeEach(() => {
  records = passkeyRecords();
});

const get = (app: express.Express, cookie: string, path = '/2fa') =>
  request(app).get(path).set('Accept', 'text/html').set('Cookie', cookie);

async function withPasskey(): Promise<void> {
  await records.options.savePasskey('user-alice', new SoftwareAuthenticator(ORIGIN, RP_ID).stored(), undefined);
}

describe('the passkey card', () => {
  test("a user with a passkey gets it first, hidden until the script runs, with SMS below; the scripts are the page's own files", async () => {
    await withPasskey();
    const app = bed.app({ mfa: { passkeys: records.options }, page: { csrfToken: () => CSRF_TOKEN } });
    const res = await get(app, await login(app));
    expect(res.status).toBe(200);
    const card = byId(res.text, 'mfa-passkey');
    expect(card).toMatchObject({
      hidden: '',
      'data-mfa-options': '/2fa/passkeys/auth/options',
      'data-mfa-verify': '/2fa/passkeys/auth/verify',
      'data-mfa-csrf-token': CSRF_TOKEN,
    });
    expect(res.text.indexOf('id="mfa-passkey"')).toBeLessThan(res.text.indexOf('id="mfa-send"'));
    expect(res.text).toContain('Use a passkey');
    expect(markupProblems(res.text)).toEqual([]);
    const scripts = tags(res.text)
      .filter((tag) => tag.name === 'script')
      .map((tag) => tag.attributes.src);
    expect(scripts).toEqual([
      expect.stringMatching(/^\?asset=challenge\.js&v=/),
      expect.stringMatching(/^\?asset=webauthn\.js&v=[0-9a-f]{12}$/),
      expect.stringMatching(/^\?asset=passkey\.js&v=/),
    ]);
    for (const src of scripts) {
      const asset = await request(app).get(`/2fa${src as string}`);
      expect(asset.status).toBe(200);
      expect(asset.headers['content-type']).toBe('application/javascript; charset=utf-8');
      expect(asset.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    }
    expect((await request(app).get('/2fa?asset=webauthn.js')).text).toContain('SimpleWebAuthnBrowser');
  });

  test('in French', async () => {
    await withPasskey();
    const app = bed.app({ mfa: { passkeys: records.options } });
    const res = await get(app, await login(app)).set('Accept-Language', 'fr');
    expect(res.text).toContain('Utiliser une clé d’accès');
  });

  test('no passkey, or passkeys off: the page is what it was, without the passkey scripts', async () => {
    for (const app of [bed.app({ mfa: { passkeys: records.options } }), bed.app()]) {
      const res = await get(app, await login(app));
      expect(byId(res.text, 'mfa-passkey')).toBeUndefined();
      expect(res.text).not.toContain('webauthn.js');
      expect(byId(res.text, 'mfa-send')).toBeDefined();
    }
  });

  test('a user whose only factor is a passkey (no number): the passkey alone, no code form to a number that is not there', async () => {
    await withPasskey();
    const app = bed.app({ mfa: { passkeys: records.options, getUser: () => ({ id: 'user-alice', phoneNumber: null }) } });
    const res = await get(app, await login(app));
    expect(byId(res.text, 'mfa-passkey')).toMatchObject({ 'data-mfa-passkey-only': '' });
    expect(byId(res.text, 'mfa-send')).toBeUndefined();
    expect(res.text).not.toContain('This action needs a passkey');
  });

  test('a phishing-resistant route: the passkey alone, no code forms, and a sentence saying why', async () => {
    await withPasskey();
    const app = bed.app({ mfa: { passkeys: records.options } });
    const cookie = await login(app);
    // The guard records what it asked for in the session; the page reads it.
    const refused = await get(app, cookie, '/admin/keys');
    expect(refused.status).toBe(302);
    expect(refused.headers.location).toBe('/2fa');
    const res = await get(app, cookie);
    expect(byId(res.text, 'mfa-passkey')).toMatchObject({ 'data-mfa-passkey-only': '' });
    expect(byId(res.text, 'mfa-send')).toBeUndefined();
    expect(res.text).toContain('This action needs a passkey: a code sent to your phone is not enough.');
  });
});
