// The built-in challenge page renders each state of the flow from getChallengeState, in the request's language.
import request from 'supertest';
import type { Express } from 'express';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { CSRF_TOKEN, mfaOf, usePageBed } from './page-app';
import { byId, formActions, markupProblems, tags, textOf } from './markup';

const bed = usePageBed('page-states');

function page(app: Express, cookie?: string, query = '', language = 'en') {
  const req = request(app).get(`/2fa${query}`).set('Accept', 'text/html').set('Accept-Language', language);
  return cookie ? req.set('Cookie', cookie) : req;
}

/** Checks every page the tests render: nothing a strict CSP blocks, no dangling label or description. */
async function rendered(app: Express, cookie?: string, query = '', language = 'en', status = 200): Promise<string> {
  const res = await page(app, cookie, query, language);
  expect(res.status).toBe(status);
  expect(res.headers['content-type']).toMatch(/^text\/html/);
  expect(res.headers['cache-control']).toBe('no-store');
  expect(markupProblems(res.text)).toEqual([]);
  return res.text;
}

describe('who may see it', () => {
  test('nobody signed in: a browser goes to loginPath, an API client gets 401, and no session is created', async () => {
    const app = bed.app();
    const res = await page(app);
    expect(res.status).toBe(303);
    expect(res.headers.location).toBe('/login');
    expect(res.headers['set-cookie']).toBeUndefined();
    const json = await request(app).get('/2fa').set('Accept', 'application/json');
    expect(json.status).toBe(401);
    expect(json.body.error).toBe('authentication_required');
  });

  test('a custom loginPath is where the page sends strangers', async () => {
    const res = await page(bed.app({ mfa: { loginPath: '/sign-in' } }));
    expect(res.headers.location).toBe('/sign-in');
  });
});

describe('the states of a challenge', () => {
  test('no code yet: the send form with both channels, the masked number, no code field, no countdown', async () => {
    const app = bed.app();
    const html = await rendered(app, await login(app));
    expect(html).toMatch(/^<!doctype html>\n<html lang="en">/);
    expect(textOf(html, 'mfa-title')).toBe('Confirm it is you');
    expect(html).toContain('We will send a 6-digit code to your phone number +1******0101.');
    expect(html).not.toContain('+12025550101');
    expect(formActions(html)).toEqual(['/2fa/send']);
    expect(byId(html, 'mfa-channel-sms')).toMatchObject({ type: 'radio', value: 'sms', checked: '' });
    expect(byId(html, 'mfa-channel-voice')).toMatchObject({ type: 'radio', value: 'voice' });
    expect(byId(html, 'mfa-code')).toBeUndefined();
    expect(byId(html, 'mfa-resend-wait')).toBeUndefined();
    expect(html).not.toContain('role="alert"');
  });

  test('a code pending: the code field for one-time-code autofill, its length, label and hint; then the resend form', async () => {
    const app = bed.app();
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    const html = await rendered(app, cookie, '?sent=sms');
    expect(formActions(html)).toEqual(['/2fa/verify', '/2fa/send']);
    expect(byId(html, 'mfa-code')).toMatchObject({
      name: 'code',
      type: 'text',
      autocomplete: 'one-time-code',
      inputmode: 'numeric',
      pattern: '[0-9]{6}',
      minlength: '6',
      maxlength: '6',
      required: '',
      autofocus: '',
      'aria-describedby': 'mfa-code-hint',
    });
    expect(tags(html).find((tag) => tag.name === 'label' && tag.attributes.for === 'mfa-code')).toBeDefined();
    // Where the code went is said once: by the notice right after the send, else by the hint.
    expect(html).toContain('<p class="mfa-notice" role="status">We sent a code by text message to +1******0101.</p>');
    expect(textOf(html, 'mfa-code-hint')).toBe('Enter the 6-digit code. It works once, for about 5 minutes.');
    expect(html.split('+1******0101').length - 1).toBe(1);
    const later = await rendered(app, cookie);
    expect(textOf(later, 'mfa-code-hint')).toBe('Enter the 6-digit code we sent to +1******0101. It works once, for about 5 minutes.');
    expect(later.split('+1******0101').length - 1).toBe(1);
    expect(textOf(html, 'mfa-send-button')).toBe('Send a new code');
    // The login challenge offers "trust this browser" for the configured days.
    expect(byId(html, 'mfa-remember')).toMatchObject({ name: 'rememberDevice', type: 'checkbox', value: 'on' });
    expect(html).toContain('Trust this browser for 30 days');
  });

  test('the resend countdown: the seconds the store gives, said in words, and the data the script counts down with', async () => {
    const app = bed.app({ mfa: { resendCooldownSeconds: 120 } });
    const cookie = await login(app);
    await send(app, cookie);
    const html = await rendered(app, cookie);
    const wait = byId(html, 'mfa-resend-wait');
    const seconds = Number(wait?.['data-mfa-countdown']);
    expect(seconds).toBeGreaterThan(60);
    expect(seconds).toBeLessThanOrEqual(120);
    expect(textOf(html, 'mfa-resend-wait')).toBe('You can ask for a new code in 2 minutes.');
    expect(wait).toMatchObject({
      'data-mfa-button': 'mfa-send-button',
      'data-mfa-template': 'You can ask for a new code in {wait}.',
      'data-mfa-done': 'You can ask for a new code now.',
    });
    expect(JSON.parse(wait?.['data-mfa-units'] as string)).toEqual({
      seconds: { one: '{count} second', other: '{count} seconds' },
      minutes: { one: '{count} minute', other: '{count} minutes' },
      hours: { one: '{count} hour', other: '{count} hours' },
    });
    expect(byId(html, 'mfa-send-button')?.['aria-describedby']).toBe('mfa-resend-wait');
    // The script is external, next to the page.
    expect(tags(html).find((tag) => tag.name === 'script')?.attributes).toMatchObject({
      src: expect.stringMatching(/^\?asset=challenge\.js&v=[0-9a-f]{12}$/),
      defer: '',
    });
  });

  test('?error=invalid_code: the catalogue sentence next to the code field, as an alert the field points at', async () => {
    const app = bed.app();
    const cookie = await login(app);
    await send(app, cookie);
    await verify(app, cookie, wrongCode(codeFor(bed.emulator)));
    const html = await rendered(app, cookie, '?error=invalid_code');
    expect(byId(html, 'mfa-code-error')).toMatchObject({ role: 'alert' });
    expect(textOf(html, 'mfa-code-error')).toBe('That code is not valid. Check the newest code we sent you, or request a new one.');
    expect(byId(html, 'mfa-code')).toMatchObject({ 'aria-describedby': 'mfa-code-hint mfa-code-error', 'aria-invalid': 'true' });
    expect(byId(html, 'mfa-send-error')).toBeUndefined();
  });

  test('an error about sending sits by the send button, with the wait from the redirect', async () => {
    const app = bed.app();
    const html = await rendered(app, await login(app), '?error=send_limit_reached&wait=1800');
    expect(textOf(html, 'mfa-send-error')).toBe('Too many codes were requested. Try again in 30 minutes.');
    expect(byId(html, 'mfa-send-button')?.['aria-describedby']).toBe('mfa-send-error');
  });

  test('a resend refused for the cooldown is said once, by the countdown, not by a second sentence', async () => {
    const app = bed.app();
    const cookie = await login(app);
    await send(app, cookie);
    const html = await rendered(app, cookie, '?error=resend_cooldown&wait=30');
    expect(byId(html, 'mfa-send-error')).toBeUndefined();
    expect(textOf(html, 'mfa-resend-wait')).toMatch(/^You can ask for a new code in \d+ seconds\.$/);
  });

  test('a code error with no code pending goes with the send form', async () => {
    const app = bed.app();
    const html = await rendered(app, await login(app), '?error=no_pending_challenge');
    expect(textOf(html, 'mfa-send-error')).toBe('Request a code first.');
  });

  test('query text that is not one of our codes is never echoed', async () => {
    const app = bed.app();
    const cookie = await login(app);
    await send(app, cookie);
    const hostile = encodeURIComponent('<script>alert(1)</script>');
    for (const query of [
      `?error=${hostile}`,
      `?error=invalid_code&wait=${hostile}`,
      `?sent=${hostile}`,
      `?error=toString`,
      `?error[]=invalid_code`,
    ]) {
      const html = await rendered(app, cookie, query);
      expect(html).not.toContain('alert(1)');
      expect(html).not.toContain('toString');
      expect(html).not.toContain('mfa-notice');
    }
    expect(await rendered(app, cookie, `?error=${hostile}`)).not.toContain('role="alert"');
  });

  test('locked out: the sentence with the wait instead of the forms, and a way to check again', async () => {
    const app = bed.app({ mfa: { maxAttempts: 1 } });
    const cookie = await login(app);
    await send(app, cookie);
    expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(429);
    const locked = await page(app, cookie, '?error=locked_out&wait=900');
    expect(locked.headers['retry-after']).toMatch(/^\d+$/);
    const html = await rendered(app, cookie, '?error=locked_out&wait=900', 'en', 429);
    expect(textOf(html, 'mfa-title')).toBe('Too many attempts');
    expect(formActions(html)).toEqual([]);
    expect(html).toContain('<p class="mfa-error" role="alert">Too many attempts. Try again in 15 minutes.</p>');
    expect(html).toContain('Signing out does not shorten the wait.');
    expect(html).toContain('<a href="/2fa">Check again</a>');
    // Once an operator lifts it, the forms are back and a stale ?error=locked_out says nothing.
    await mfaOf(app).unlockUser('user-alice');
    const after = await rendered(app, cookie, '?error=locked_out&wait=900');
    expect(formActions(after)).toEqual(['/2fa/verify', '/2fa/send']);
    expect(after).not.toContain('Too many attempts');
  });

  test('with `checkAgainPath`, "Check again" leads to the page the lockout is shown on', async () => {
    const app = bed.app({ mfa: { maxAttempts: 1 }, page: { checkAgainPath: '/2fa/enrol' } });
    const cookie = await login(app);
    await send(app, cookie);
    expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(429);
    const html = await rendered(app, cookie, '', 'en', 429);
    expect(html).toContain('<a href="/2fa/enrol">Check again</a>');
    expect(html).not.toContain('<a href="/2fa">');
    expect(() => bed.app({ page: { checkAgainPath: '//elsewhere.example' } })).toThrow(
      /`challengePage.checkAgainPath` must be a path on this site/,
    );
  });

  test('a held account: the held sentence, no forms, no promise of a wait', async () => {
    const app = bed.app({ mfa: { maxAttempts: 5, maxConsecutiveFailures: 1 } });
    const cookie = await login(app);
    await send(app, cookie);
    expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).body.error).toBe('account_locked');
    const html = await rendered(app, cookie, '', 'en', 429);
    expect(textOf(html, 'mfa-title')).toBe('Account locked');
    expect(formActions(html)).toEqual([]);
    expect(html).toContain('Too many wrong codes. This account stays locked until support unlocks it.');
    expect(html).not.toContain('Check again');
  });

  test('a step-up code: its own title, and no "trust this browser"', async () => {
    const app = bed.app();
    const cookie = await login(app);
    await send(app, cookie);
    const verified = await verify(app, cookie, codeFor(bed.emulator));
    const session = (verified.headers['set-cookie'] as unknown as string[])[0]?.split(';')[0] as string;
    const turned = await request(app).post('/admin/transfer').set('Accept', 'text/html').set('Cookie', session);
    expect(turned.headers.location).toBe('/2fa');
    expect(textOf(await rendered(app, session), 'mfa-title')).toBe('Confirm this action');
    await send(app, session);
    const html = await rendered(app, session);
    expect(byId(html, 'mfa-code')).toBeDefined();
    expect(byId(html, 'mfa-remember')).toBeUndefined();
  });

  test('trusted browsers turned off: no checkbox', async () => {
    const app = bed.app({ mfa: { trustedDevices: false } });
    const cookie = await login(app);
    await send(app, cookie);
    expect(byId(await rendered(app, cookie), 'mfa-remember')).toBeUndefined();
  });
});

describe('what the page offers', () => {
  test('no voiceApplicationId: SMS only, as a hidden field, no radio to choose a channel that would fail', async () => {
    const { voiceApplicationId: _unused, ...smsOnly } = bandwidthOptionsFor(bed.emulator);
    const app = bed.app({ mfa: { bandwidth: smsOnly } });
    const cookie = await login(app);
    let html = await rendered(app, cookie);
    expect(html).not.toContain('voice');
    expect(html).not.toContain('Voice call');
    expect(tags(html).find((tag) => tag.attributes.name === 'channel')?.attributes).toEqual({
      type: 'hidden',
      name: 'channel',
      value: 'sms',
    });
    await send(app, cookie);
    html = await rendered(app, cookie);
    expect(html).toContain('Did not get it? Send a new code');
    expect(html).not.toContain('Voice call');
  });

  test('`channels: ["sms"]` hides voice even when the account has it', async () => {
    const app = bed.app({ page: { channels: ['sms'] } });
    expect(await rendered(app, await login(app))).not.toContain('Voice call');
  });

  test('after a voice send, voice stays chosen and the notice says a call is coming', async () => {
    const app = bed.app();
    const cookie = await login(app);
    expect((await send(app, cookie, { channel: 'voice' })).status).toBe(200);
    const html = await rendered(app, cookie, '?sent=voice');
    expect(html).toContain('We are calling +1******0101 to read you a code.');
    expect(byId(html, 'mfa-channel-voice')).toHaveProperty('checked');
    expect(byId(html, 'mfa-channel-sms')).not.toHaveProperty('checked');
  });

  test('digits: 8 gives an 8-digit field and says so', async () => {
    const app = bed.app({ mfa: { digits: 8 } });
    const cookie = await login(app);
    expect(await rendered(app, cookie)).toContain('We will send a 8-digit code');
    await send(app, cookie);
    const html = await rendered(app, cookie);
    expect(byId(html, 'mfa-code')).toMatchObject({ pattern: '[0-9]{8}', minlength: '8', maxlength: '8' });
    expect(textOf(html, 'mfa-code-hint')).toContain('8-digit code');
  });

  test('Accept-Language: fr renders the page in French with <html lang="fr">, countdown forms included', async () => {
    const app = bed.app();
    const cookie = await login(app);
    await send(app, cookie);
    const html = await rendered(app, cookie, '?sent=sms&error=invalid_code', 'fr-CA,fr;q=0.9,en;q=0.5');
    expect(html).toMatch(/<html lang="fr">/);
    expect(textOf(html, 'mfa-title')).toBe('Confirmez votre identité');
    expect(html).toContain('Nous avons envoyé un code par SMS au +1******0101.');
    expect(textOf(html, 'mfa-code-error')).toBe('Ce code n’est pas valide. Vérifiez le dernier code reçu ou demandez-en un nouveau.');
    expect(html).toContain('Faire confiance à ce navigateur pendant 30 jours');
    expect(textOf(html, 'mfa-resend-wait')).toMatch(/^Vous pourrez demander un nouveau code dans \d+ secondes\.$/);
    expect(JSON.parse(byId(html, 'mfa-resend-wait')?.['data-mfa-units'] as string).seconds.other).toBe('{count} secondes');
    expect(html).not.toMatch(/Confirm it is you|Send a new code|Verify</);
  });

  test('locale(req) wins, and a locale without a catalogue renders English under lang="en"', async () => {
    const french = bed.app({ mfa: { locale: () => 'fr' } });
    expect(await rendered(french, await login(french), '', 'en')).toMatch(/<html lang="fr">[\s\S]*Confirmez votre identité/);
    const klingon = bed.app({ mfa: { locale: () => 'tlh' } });
    expect(await rendered(klingon, await login(klingon))).toMatch(/<html lang="en">[\s\S]*Confirm it is you/);
  });

  test('messages overrides reach the page, plural days included', async () => {
    const app = bed.app({
      mfa: {
        trustedDevices: { days: 1 },
        messages: { en: { page_title: 'Two-step check', days: { one: '{count} day only', other: '{count} days' } } },
      },
    });
    const cookie = await login(app);
    await send(app, cookie);
    const html = await rendered(app, cookie);
    expect(textOf(html, 'mfa-title')).toBe('Two-step check');
    expect(html).toContain('Trust this browser for 1 day only');
  });

  test('the CSRF hook: its token in both forms, under the field name asked for, escaped', async () => {
    const app = bed.app({ page: { csrfToken: async () => CSRF_TOKEN, csrfField: 'csrf_token' } });
    const cookie = await login(app);
    await send(app, cookie);
    const html = await rendered(app, cookie);
    const hidden = tags(html).filter(
      (tag) => tag.name === 'input' && tag.attributes.type === 'hidden' && tag.attributes.name === 'csrf_token',
    );
    expect(hidden.map((tag) => tag.attributes.value)).toEqual([CSRF_TOKEN, CSRF_TOKEN]);
    const odd = bed.app({ page: { csrfToken: () => 'a"b<c' } });
    expect(await rendered(odd, await login(odd))).toContain('name="_csrf" value="a&quot;b&lt;c"');
  });

  test('the instance shape renders the same page', async () => {
    const app = bed.app({ instance: true, page: { csrfToken: () => CSRF_TOKEN } });
    const cookie = await login(app);
    await send(app, cookie);
    const html = await rendered(app, cookie);
    expect(formActions(html)).toEqual(['/2fa/verify', '/2fa/send']);
    expect(html).toContain(CSRF_TOKEN);
  });
});
