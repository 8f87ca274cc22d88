// The built-in page's way back in without the phone (a recovery code) and its way out (sign out), in en and fr.
import request from 'supertest';
import type { Express } from 'express';
import type { RecoveryCodesOptions } from '../../src';
import { RECOVERY_SECRET } from '../helpers/user-records';
import { login, loginAndVerify, postForm, send } from '../helpers/flow';
import { CSRF_TOKEN, usePageBed } from './page-app';
import { byId, formActions, markupProblems, textOf } from './markup';

const bed = usePageBed('page-recovery');

/** Recovery codes whose count the test sets; no code is ever right, so a post shows the form's own error. */
function recoveryCodes(left: () => number): RecoveryCodesOptions {
  return {
    secret: RECOVERY_SECRET,
    saveRecoveryCodes: async () => undefined,
    consumeRecoveryCode: async () => false,
    countRecoveryCodes: async () => left(),
  };
}

async function rendered(app: Express, cookie: string, query = '', language = 'en'): Promise<string> {
  const res = await request(app).get(`/2fa${query}`).set('Accept', 'text/html').set('Accept-Language', language).set('Cookie', cookie);
  expect(res.status).toBe(200);
  expect(markupProblems(res.text)).toEqual([]);
  return res.text;
}

describe('the recovery-code form', () => {
  test('with recovery codes on: a closed "lost your phone?" form after the send form, posting to <challengePath>/recovery', async () => {
    const app = bed.app({ mfa: { recoveryCodes: recoveryCodes(() => 8) } });
    const html = await rendered(app, await login(app));
    expect(formActions(html)).toEqual(['/2fa/send', '/2fa/recovery']);
    expect(byId(html, 'mfa-recovery')).not.toHaveProperty('open');
    expect(textOf(html, 'mfa-recovery')).toContain('Lost your phone? Use a recovery code');
    expect(byId(html, 'mfa-recovery-code')).toMatchObject({
      name: 'recoveryCode',
      type: 'text',
      autocomplete: 'off',
      'aria-describedby': 'mfa-recovery-code-hint',
    });
    expect(byId(html, 'mfa-recovery-left')).toBeUndefined();
  });

  test('without recovery codes configured, or with `recoveryPath: false`, there is no such form', async () => {
    const off = bed.app();
    expect(formActions(await rendered(off, await login(off)))).toEqual(['/2fa/send']);
    const hidden = bed.app({ mfa: { recoveryCodes: recoveryCodes(() => 8) }, page: { recoveryPath: false } });
    expect(formActions(await rendered(hidden, await login(hidden)))).toEqual(['/2fa/send']);
  });

  test('a recovery code stands in for the sign-in code only: a step-up page has no recovery form', async () => {
    const app = bed.app({ mfa: { recoveryCodes: recoveryCodes(() => 8) } });
    const cookie = await loginAndVerify(app, bed.emulator);
    const asked = await request(app).post('/admin/transfer').set('Accept', 'text/html').set('Cookie', cookie);
    expect(asked.headers.location).toBe('/2fa');
    const stepUp = await rendered(app, cookie);
    expect(textOf(stepUp, 'mfa-title')).toBe('Confirm this action');
    expect(formActions(stepUp)).toEqual(['/2fa/send']);
  });

  test('few codes left: a warning with the count; none left: the advice and no form', async () => {
    let left = 2;
    const app = bed.app({ mfa: { recoveryCodes: recoveryCodes(() => left) }, page: { recoveryPath: '/account/recover' } });
    const cookie = await login(app);
    const few = await rendered(app, cookie);
    expect(textOf(few, 'mfa-recovery-left')).toBe('Recovery codes left: 2. Once signed in, make a new set in your account settings.');
    expect(formActions(few)).toEqual(['/2fa/send', '/account/recover']);
    left = 0;
    const none = await rendered(app, cookie);
    expect(textOf(none, 'mfa-recovery-left')).toContain('You have no recovery codes left.');
    expect(formActions(none)).toEqual(['/2fa/send']);
  });

  test('a wrong recovery code comes back to this form, open, with its own sentence (not the one about the code we sent)', async () => {
    const app = bed.app({ mfa: { recoveryCodes: recoveryCodes(() => 8) }, page: { csrfToken: () => CSRF_TOKEN } });
    const cookie = await login(app);
    await send(app, cookie);
    const posted = await postForm(app, '/2fa/recovery', cookie, { recoveryCode: 'ABCD-EFGH-JKMN-PQRS' });
    expect(posted.status).toBe(303);
    expect(posted.headers.location).toBe('/2fa?form=recovery&error=invalid_code');
    const html = await rendered(app, cookie, '?form=recovery&error=invalid_code');
    expect(byId(html, 'mfa-recovery')).toHaveProperty('open');
    expect(textOf(html, 'mfa-recovery-code-error')).toBe('That recovery code is not valid or was already used. Check it and try again.');
    expect(byId(html, 'mfa-recovery-code')).toMatchObject({
      'aria-describedby': 'mfa-recovery-code-hint mfa-recovery-code-error',
      'aria-invalid': 'true',
      autofocus: '',
    });
    // Said once, at the recovery field: the code field shows no error and does not take the focus.
    expect(byId(html, 'mfa-code-error')).toBeUndefined();
    expect(byId(html, 'mfa-code')).not.toHaveProperty('aria-invalid');
    // The form carries the app's CSRF token like the others.
    expect(html).toMatch(
      /<form method="post" action="\/2fa\/recovery">\s*<input type="hidden" name="_csrf" value="csrf-token-of-the-page-tests">/,
    );
    const format = await rendered(app, cookie, '?form=recovery&error=invalid_request');
    expect(textOf(format, 'mfa-recovery-code-error')).toBe('Enter a recovery code as you saved it, such as ABCD-EFGH-JKMN-PQRS.');
  });

  test('in French', async () => {
    const app = bed.app({ mfa: { recoveryCodes: recoveryCodes(() => 1) } });
    const html = await rendered(app, await login(app), '?form=recovery&error=invalid_code', 'fr');
    expect(textOf(html, 'mfa-recovery')).toContain('Téléphone perdu ? Utilisez un code de secours');
    expect(textOf(html, 'mfa-recovery-left')).toBe(
      'Codes de secours restants : 1. Une fois connecté, créez-en une nouvelle série dans les paramètres de votre compte.',
    );
    expect(textOf(html, 'mfa-recovery-code-error')).toBe('Ce code de secours n’est pas valide ou a déjà servi. Vérifiez-le et réessayez.');
  });
});

describe('the way out', () => {
  test('signOut with POST: a "Not you? Sign out" form under the title, with the CSRF token, which signs out', async () => {
    const app = bed.app({ page: { signOut: { path: '/logout' }, csrfToken: () => CSRF_TOKEN } });
    const cookie = await login(app);
    const html = await rendered(app, cookie);
    expect(textOf(html, 'mfa-sign-out')).toBe('Not you? Sign out');
    expect(html).toMatch(
      /<form method="post" action="\/logout" class="mfa-sign-out" id="mfa-sign-out">\s*<input type="hidden" name="_csrf" value="csrf-token-of-the-page-tests">/,
    );
    expect(html.indexOf('id="mfa-sign-out"')).toBeLessThan(html.indexOf('id="mfa-send"'));
    const out = await request(app).post('/logout').set('Cookie', cookie);
    expect(out.status).toBe(303);
    expect((await request(app).get('/2fa').set('Accept', 'text/html').set('Cookie', cookie)).headers.location).toBe('/login');
  });

  test('signOut with GET: a link; in French; and it is there while locked out too', async () => {
    const app = bed.app({ page: { signOut: { path: '/sign-out', method: 'GET' } }, mfa: { maxAttempts: 1 } });
    const cookie = await login(app);
    const html = await rendered(app, cookie, '', 'fr');
    expect(byId(html, 'mfa-sign-out')).toBeDefined();
    expect(html).toContain('Ce n’est pas vous ? <a href="/sign-out">Se déconnecter</a>');
    await send(app, cookie);
    await request(app).post('/2fa/verify').set('Accept', 'application/json').set('Cookie', cookie).send({ code: '000000' });
    const locked = await request(app).get('/2fa').set('Accept', 'text/html').set('Cookie', cookie);
    expect(locked.status).toBe(429);
    expect(locked.text).toContain('<a href="/sign-out">Sign out</a>');
  });

  test('no signOut option: no way-out line; bad options are refused at mount with what to change', async () => {
    const app = bed.app();
    expect(byId(await rendered(app, await login(app)), 'mfa-sign-out')).toBeUndefined();
    expect(() => bed.app({ page: { signOut: { path: 'logout' } } })).toThrow(/`challengePage.signOut.path` must be a path on this site/);
    expect(() => bed.app({ page: { signOut: { path: '/logout', method: 'DELETE' as 'GET' } } })).toThrow(
      /`challengePage.signOut.method` must be 'POST'/,
    );
    expect(() => bed.app({ page: { signOut: {} as { path: string } } })).toThrow(/`challengePage.signOut.path` is missing/);
    expect(() => bed.app({ page: { signOut: { path: '/logout', metod: 'GET' } as { path: string } } })).toThrow(
      /Did you mean `challengePage.signOut.method`/,
    );
    expect(() => bed.app({ page: { recoveryPath: 'recover' } })).toThrow(/`challengePage.recoveryPath` must be a path on this site/);
  });
});

describe('why a code is asked', () => {
  test('the app\'s reason above the forms; the library\'s "confirm it is you first" said as the reason, not as an error', async () => {
    const app = bed.app({
      page: { reason: (state) => (state.returnTo === '/admin' ? 'To open the admin page, first confirm it is you.' : undefined) },
    });
    const cookie = await login(app);
    const asked = await request(app).get('/admin').set('Accept', 'text/html').set('Cookie', cookie);
    expect(asked.headers.location).toBe('/2fa');
    const html = await rendered(app, cookie, '?error=second_factor_required');
    expect(textOf(html, 'mfa-reason')).toBe('To open the admin page, first confirm it is you.');
    expect(html).not.toContain('role="alert"');
    const plain = bed.app();
    const other = await login(plain);
    const library = await rendered(plain, other, '?error=second_factor_required');
    expect(textOf(library, 'mfa-reason')).toBeTruthy();
    expect(library).not.toContain('role="alert"');
  });
});
