// The page handler itself: read-only, its static files, the app's hooks (layout, render, CSRF) and options checked once.
import express from 'express';
import request from 'supertest';
import { challengePage } from '../../src';
import { login, send } from '../helpers/flow';
import { keysUnder, sessionKey } from '../helpers/store-keys';
import { mfaOf, usePageBed } from './page-app';
import { markupProblems, tags } from './markup';

const bed = usePageBed('page-handler');

const get = (app: express.Express, cookie: string, path = '/2fa') =>
  request(app).get(path).set('Accept', 'text/html').set('Cookie', cookie);

describe('a read-only page', () => {
  test('viewing it in every state writes nothing: the same keys and values in Redis, the same session, no cookie', async () => {
    const app = bed.app();
    const cookie = await login(app);
    await send(app, cookie);
    const snapshot = async () => {
      const keys = (await keysUnder(bed.redis, `${bed.prefix}*`)).sort();
      const values = await Promise.all(
        keys.map(async (key) => ((await bed.redis.type(key)) === 'string' ? bed.redis.get(key) : bed.redis.type(key))),
      );
      return { keys, values, session: await bed.redis.get(sessionKey(bed.prefix, cookie)) };
    };
    const before = await snapshot();
    expect(before.session).toContain('"pending"');
    for (const query of ['', '?sent=sms', '?error=invalid_code', '?error=resend_cooldown&wait=30', '?asset=challenge.js']) {
      const res = await get(app, cookie, `/2fa${query}`);
      expect(res.status).toBe(200);
      expect(res.headers['set-cookie']).toBeUndefined();
    }
    expect(await snapshot()).toEqual(before);
  });

  test('GET and HEAD only: mounted with app.all, a POST is 405 with Allow, and renders nothing', async () => {
    const app = bed.app();
    const cookie = await login(app);
    const loose = express();
    loose.use(mfaOf(app).middleware());
    loose.all('/2fa', mfaOf(app).challengePage());
    const res = await request(loose).post('/2fa').set('Cookie', cookie).send({ channel: 'sms' });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET, HEAD');
    expect(bed.emulator.sent).toHaveLength(0);
    const head = await request(app).head('/2fa').set('Cookie', cookie);
    expect(head.status).toBe(200);
    expect(head.headers['cache-control']).toBe('no-store');
  });

  test('it may not be framed by another site unless the app decided otherwise', async () => {
    const app = bed.app();
    const res = await get(app, await login(app));
    expect(res.headers['x-frame-options']).toBe('DENY');
  });
});

test('on Express 4 too, whose query parser turns `error[]=` into an array: never shown', async () => {
  // Installed as an npm alias (`express4` → express@4) next to Express 5, without types of its own.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const express4 = require('express4') as typeof express;
  const app = bed.app({ express: express4 });
  const cookie = await login(app);
  await send(app, cookie);
  const res = await get(app, cookie, '/2fa?error[]=invalid_code&sent[a]=sms');
  expect(res.status).toBe(200);
  expect(tags(res.text).some((tag) => tag.attributes.id === 'mfa-code')).toBe(true);
  expect(res.text).not.toContain('role="alert"');
  expect(res.text).not.toContain('mfa-notice');
  expect((await get(app, cookie, '/2fa?error=invalid_code')).text).toContain('id="mfa-code-error"');
  expect((await request(app).get('/2fa?asset=challenge.css')).status).toBe(200);
});

describe('its script and styles', () => {
  test('served by the same handler, public and static: no session needed, none created, cached for good when versioned', async () => {
    const app = bed.app();
    const html = (await get(app, await login(app))).text;
    const script = tags(html).find((tag) => tag.name === 'script')?.attributes.src as string;
    const styles = tags(html).find((tag) => tag.name === 'link' && tag.attributes.rel === 'stylesheet')?.attributes.href as string;
    const js = await request(app).get(`/2fa${script}`);
    expect(js.status).toBe(200);
    expect(js.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(js.headers['cache-control']).toBe('public, max-age=31536000, immutable');
    expect(js.headers['x-content-type-options']).toBe('nosniff');
    expect(js.headers['set-cookie']).toBeUndefined();
    expect(js.text).toContain('data-mfa-countdown');
    const css = await request(app).get(`/2fa${styles}`);
    expect(css.status).toBe(200);
    expect(css.headers['content-type']).toBe('text/css; charset=utf-8');
    expect(css.text).toContain('.mfa-challenge');
    // An old or missing version still gets the file, but must revalidate.
    expect((await request(app).get('/2fa?asset=challenge.js&v=old')).headers['cache-control']).toBe('no-cache');
  });

  test('an unknown asset is a 404 that does not echo its name', async () => {
    const app = bed.app();
    const res = await request(app).get('/2fa?asset=%3Cscript%3E.js');
    expect(res.status).toBe(404);
    expect(res.text).not.toContain('script');
  });
});

describe("the app's pieces", () => {
  test("layout(pieces) wraps the sections in the app's own page; pieces carry lang, plain title, head and the sections by name", async () => {
    const seen: Array<{ lang: string; title: string; names: string[]; csrfToken?: string }> = [];
    const app = bed.app({
      page: {
        csrfToken: () => 'tok',
        layout: (pieces) => {
          seen.push({ lang: pieces.lang, title: pieces.title, names: pieces.sections.map((s) => s.name), csrfToken: pieces.csrfToken });
          return `<!doctype html><html lang="${pieces.lang}"><head><title>Acme</title>${pieces.head}</head><body><header>Acme</header><main>${pieces.body}</main></body></html>`;
        },
      },
    });
    const cookie = await login(app);
    await send(app, cookie);
    const res = await get(app, cookie, '/2fa?sent=sms');
    expect(res.text).toMatch(
      /^<!doctype html><html lang="en"><head><title>Acme<\/title><link rel="stylesheet" href="\?asset=challenge\.css&amp;v=[0-9a-f]+">\n<script src="\?asset=challenge\.js&amp;v=[0-9a-f]+" defer><\/script><\/head><body><header>Acme<\/header><main><div class="mfa-challenge">/,
    );
    expect(markupProblems(res.text)).toEqual([]);
    expect(seen).toEqual([
      { lang: 'en', title: 'Confirm it is you', names: ['heading', 'notice', 'verify', 'send', 'risk'], csrfToken: 'tok' },
    ]);
  });

  test('render(state, pieces) replaces the whole page', async () => {
    const app = bed.app({ page: { render: (state, pieces) => `<p>${state.maskedPhoneNumber} ${pieces.sections.length}</p>` } });
    expect((await get(app, await login(app))).text).toBe('<p>+1******0101 3</p>');
  });

  test("title (string or function) and the app's stylesheet, or none", async () => {
    const app = bed.app({ page: { title: 'Acme sign-in check', stylesheet: '/static/app.css' } });
    const cookie = await login(app);
    const html = (await get(app, cookie)).text;
    expect(html).toContain('<title>Acme sign-in check</title>');
    expect(html).toContain('<h1 id="mfa-title">Acme sign-in check</h1>');
    expect(html).toContain('<link rel="stylesheet" href="/static/app.css">');
    const bare = bed.app({ page: { title: (state) => `Code for ${state.scope} <b>`, stylesheet: false } });
    const plain = (await get(bare, cookie)).text;
    expect(plain).toContain('<title>Code for 2FA &lt;b&gt;</title>');
    expect(tags(plain).some((tag) => tag.name === 'link')).toBe(false);
  });

  test("a hook answering nonsense: a 500 that names no detail, a line for the operator; a hook that throws reaches the app's error handler", async () => {
    const cookieApp = bed.app();
    const cookie = await login(cookieApp);
    const numberToken = bed.app({ page: { csrfToken: () => 42 as unknown as string } });
    const res = await get(numberToken, cookie);
    expect(res.status).toBe(500);
    expect(res.text).toBe('Two-factor authentication is not set up correctly on this server.');
    expect(bed.logs).toContain(
      'express-bandwidth-mfa: `challengePage.csrfToken(req)` must return the token as a string (or undefined); the challenge page was not shown.',
    );
    const badLayout = bed.app({ page: { layout: () => undefined as unknown as string } });
    expect((await get(badLayout, cookie)).status).toBe(500);
    const throwing = bed.app({
      page: {
        csrfToken: () => {
          throw new Error('csrf secret missing');
        },
      },
    });
    const thrown = await get(throwing, cookie);
    expect(thrown.status).toBe(500);
    expect(thrown.text).not.toContain('Confirm it is you');
  });
});

describe('options, checked once when mounted', () => {
  test('mistakes throw a TypeError that says what to change', () => {
    expect(() => challengePage({ csrfTokn: () => 'x' } as never)).toThrow(
      'unknown option `challengePage.csrfTokn`. Did you mean `challengePage.csrfToken`?',
    );
    expect(() => challengePage({ channels: ['fax'] } as never)).toThrow(
      "`challengePage.channels` must be `['sms']`, `['voice']` or `['sms', 'voice']`; got an array.",
    );
    expect(() => challengePage({ channels: [] })).toThrow(TypeError);
    expect(() => challengePage({ csrfField: 'a b' })).toThrow('`challengePage.csrfField` must be the name your CSRF check reads');
    expect(() => challengePage({ stylesheet: 'javascript:alert(1)' })).toThrow('`challengePage.stylesheet` must be the URL of your CSS');
    expect(() => challengePage({ stylesheet: '//cdn.example/app.css' })).toThrow(TypeError);
    expect(() => challengePage({ title: '' })).toThrow('`challengePage.title` must be a non-empty string');
    expect(() => challengePage({ sendPath: 'https://evil.example/send' })).toThrow('`challengePage.sendPath` must be a path on this site');
    expect(() => challengePage({ layout: '<html>' as never })).toThrow('`challengePage.layout` must be a function');
    expect(() => challengePage('dark' as never)).toThrow('`challengePage(options)` takes an object');
    expect(() =>
      challengePage({ stylesheet: 'https://cdn.example/app.css', sendPath: '/mfa/send', verifyPath: '/mfa/verify' }),
    ).not.toThrow();
  });

  test('mounted without the parentheses: says so instead of hanging the request', async () => {
    const app = express();
    app.get('/2fa', challengePage as never);
    const res = await request(app).get('/2fa');
    expect(res.status).toBe(500);
    expect(() => challengePage({ method: 'GET', headers: {}, socket: {} } as never)).toThrow(
      'Mount `challengePage()`, with the parentheses',
    );
  });

  test('sendPath and verifyPath move the forms', async () => {
    const app = bed.app({ page: { sendPath: '/mfa/send', verifyPath: '/mfa/verify' } });
    const cookie = await login(app);
    await send(app, cookie);
    const html = (await get(app, cookie)).text;
    expect(
      tags(html)
        .filter((tag) => tag.name === 'form')
        .map((tag) => tag.attributes.action),
    ).toEqual(['/mfa/verify', '/mfa/send']);
  });
});
