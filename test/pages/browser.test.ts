// The quick-start app in Debian's Chromium: sign in, the built-in page, SMS, the code from the emulator, the protected page; under a strict CSP.
import type { Server } from 'node:http';
import type { Express } from 'express';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { wrongCode } from '../helpers/flow';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, collectErrors, screenshot, useChromium } from '../helpers/chromium';
import { closeServer, serveOnLoopback } from '../helpers/loopback-server';
import { focusedId } from '../helpers/page-checks';
import { RECOVERY_SECRET } from '../helpers/user-records';
import { usePageBed } from './page-app';

const PHONE = '+12025550101';

jest.setTimeout(60_000);

const bed = usePageBed('page-browser');
const chromium = useChromium(['--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run']);
let context: BrowserContext | undefined;
let server: Server | undefined;
let baseUrl: string;
let consoleErrors: string[];

afterEach(async () => {
  await context?.close();
  context = undefined;
  await closeServer(server);
  server = undefined;
});

/** Serves this test's app on a free loopback port and opens a phone-sized page on it. */
async function open(app: Express, options: BrowserContextOptions = {}): Promise<Page> {
  const served = await serveOnLoopback(app);
  server = served.server;
  baseUrl = `http://127.0.0.1:${served.port}`;
  context = await chromium.browser.newContext({ viewport: PHONE_VIEWPORT, ...options });
  consoleErrors = [];
  const page = await context.newPage();
  // CSP refusals (an inline script or style) are reported on the console.
  collectErrors(page, consoleErrors);
  return page;
}

/** The way a person arrives: the protected page, sent to sign in, then to the challenge page. */
async function signIn(page: Page): Promise<void> {
  await page.goto(`${baseUrl}/admin`);
  await page.waitForURL(`${baseUrl}/login?returnTo=%2Fadmin`);
  await page.getByLabel('Username').fill('alice');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
}

async function submitCode(page: Page, code: string, label = 'Code', button = 'Verify'): Promise<void> {
  await page.getByLabel(label, { exact: true }).fill(code);
  await page.getByRole('button', { name: button }).click();
  await page.waitForLoadState('load');
}

const shot = (page: Page, name: string) => screenshot(page, `challenge-page-${name}`);
// Run inside the page; a string, because this project's TypeScript has no DOM types.
const OVERFLOW = 'document.documentElement.scrollWidth > window.innerWidth';

describe('the built-in challenge page in Chromium', () => {
  test("the quick-start, as written, under `default-src 'self'`: sign in, SMS, a wrong code, the right one, the protected page", async () => {
    const page = await open(bed.app({ csp: true }));
    await signIn(page);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Confirm it is you');
    expect(await page.getByLabel('Text message (SMS)').isChecked()).toBe(true);
    expect(await page.evaluate<boolean>(OVERFLOW)).toBe(false);
    await shot(page, 'send');

    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
    expect(await page.getByRole('status').innerText()).toBe('We sent a code by text message to +1******0101.');
    // The external countdown script ran under the CSP: the resend button waits.
    expect(await page.getByRole('button', { name: 'Send a new code' }).isDisabled()).toBe(true);
    expect(await page.locator('#mfa-resend-wait').getAttribute('aria-live')).toBe('off');
    expect(await focusedId(page)).toBe('mfa-code');
    const field = page.getByLabel('Code', { exact: true });
    expect(await field.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await field.getAttribute('maxlength')).toBe('6');
    expect(await page.evaluate<boolean>(OVERFLOW)).toBe(false);
    await shot(page, 'code');

    const code = bed.emulator.lastCode(PHONE) as string;
    await submitCode(page, wrongCode(code));
    await page.waitForURL(`${baseUrl}/2fa?error=invalid_code`);
    expect(await page.getByRole('alert').innerText()).toBe(
      'That code is not valid. Check the newest code we sent you, or request a new one.',
    );
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    await shot(page, 'error');

    // Keyboard focus is visible: the checkbox after the code field.
    await page.locator('#mfa-code').focus();
    await page.keyboard.press('Tab');
    expect(await focusedId(page)).toBe('mfa-remember');
    await shot(page, 'focus');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await shot(page, 'desktop');

    await submitCode(page, code);
    await page.waitForURL(`${baseUrl}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Admin');
    expect(consoleErrors).toEqual([]);
  });

  test('the countdown ends: the button comes back and the end is announced', async () => {
    const page = await open(bed.app({ csp: true, mfa: { resendCooldownSeconds: 5 } }));
    await signIn(page);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
    const button = page.getByRole('button', { name: 'Send a new code' });
    expect(await button.isDisabled()).toBe(true);
    // Waits with a selector: a string evaluated in the page would itself be refused by the CSP.
    await page.locator('#mfa-send-button:enabled').waitFor();
    expect(await page.locator('#mfa-resend-wait').innerText()).toBe('You can ask for a new code now.');
    expect(await page.locator('#mfa-resend-wait').getAttribute('aria-live')).toBe('polite');
    expect(consoleErrors).toEqual([]);
  });

  test('without JavaScript the page works all the same', async () => {
    const page = await open(bed.app({ csp: true }), { javaScriptEnabled: false });
    await signIn(page);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
    // Nothing disables the button; the server refuses an early resend and says why.
    expect(await page.getByRole('button', { name: 'Send a new code' }).isDisabled()).toBe(false);
    await page.getByRole('button', { name: 'Send a new code' }).click();
    await page.waitForURL(/\/2fa\?error=resend_cooldown&wait=\d+$/);
    // The countdown beside the button says it once, not a second alert with the same wait.
    expect(await page.locator('#mfa-resend-wait').innerText()).toMatch(/^You can ask for a new code in \d+ seconds\.$/);
    expect(await page.locator('#mfa-send-error').count()).toBe(0);
    await shot(page, 'no-js-cooldown');
    await submitCode(page, bed.emulator.lastCode(PHONE) as string);
    await page.waitForURL(`${baseUrl}/admin`);
  });

  test('in French, with a browser that asks for it', async () => {
    const page = await open(bed.app({ csp: true }), { locale: 'fr-FR' });
    await signIn(page);
    await page.getByRole('button', { name: 'Envoyer le code' }).click();
    await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
    expect(await page.locator('html').getAttribute('lang')).toBe('fr');
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Confirmez votre identité');
    // The script counts down in French, with French plural rules.
    const wait = page.locator('#mfa-resend-wait');
    const served = await wait.innerText();
    expect(served).toMatch(/^Vous pourrez demander un nouveau code dans \d+ secondes\.$/);
    await page.locator('#mfa-resend-wait', { hasNotText: served }).waitFor();
    expect(await wait.innerText()).toMatch(/^Vous pourrez demander un nouveau code dans \d+ secondes?\.$/);
    await shot(page, 'french');
    await submitCode(page, bed.emulator.lastCode(PHONE) as string, 'Code de vérification', 'Valider');
    await page.waitForURL(`${baseUrl}/admin`);
    expect(consoleErrors).toEqual([]);
  });

  test('locked out: the sentence and no forms', async () => {
    const page = await open(bed.app({ csp: true, mfa: { maxAttempts: 1 } }));
    await signIn(page);
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
    await submitCode(page, wrongCode(bed.emulator.lastCode(PHONE) as string));
    await page.waitForURL(`${baseUrl}/2fa?error=locked_out&wait=900`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Too many attempts');
    expect(await page.getByRole('alert').innerText()).toBe('Too many attempts. Try again in 15 minutes.');
    expect(await page.locator('form').count()).toBe(0);
    await shot(page, 'lockout');
    // The console shows the 429 of the lockout page itself; nothing else may be there.
    expect(consoleErrors.filter((text) => !/status of 429/.test(text))).toEqual([]);
  });

  test('the recovery-code form and the way out, under the CSP: a wrong recovery code comes back to its field; "Not you? Sign out" signs out', async () => {
    const page = await open(
      bed.app({
        csp: true,
        page: { signOut: { path: '/logout' } },
        mfa: {
          recoveryCodes: {
            secret: RECOVERY_SECRET,
            saveRecoveryCodes: async () => undefined,
            consumeRecoveryCode: async () => false,
            countRecoveryCodes: async () => 2,
          },
        },
      }),
    );
    await signIn(page);
    expect(await page.getByText('Recovery codes left: 2.').isVisible()).toBe(true);
    const recoveryField = page.getByLabel('Recovery code');
    expect(await recoveryField.isVisible()).toBe(false);
    await page.getByText('Lost your phone? Use a recovery code').click();
    expect(await recoveryField.isVisible()).toBe(true);
    await recoveryField.fill('ABCD-EFGH-JKMN-PQRS');
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    await page.waitForURL(`${baseUrl}/2fa?form=recovery&error=invalid_code`);
    // Opened by the server, the focus in the field, the sentence tied to it.
    expect(await page.getByLabel('Recovery code').isVisible()).toBe(true);
    expect(await focusedId(page)).toBe('mfa-recovery-code');
    expect(await page.getByRole('alert').innerText()).toBe('That recovery code is not valid or was already used. Check it and try again.');
    expect(await page.evaluate<boolean>(OVERFLOW)).toBe(false);
    await shot(page, 'recovery');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await shot(page, 'recovery-desktop');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    await page.goto(`${baseUrl}/2fa`);
    await page.waitForURL(`${baseUrl}/login`);
    expect(consoleErrors).toEqual([]);
  });

  test('control: the console check does catch what the CSP refuses (an inline script and style in an app layout)', async () => {
    const page = await open(
      bed.app({
        csp: true,
        page: {
          layout: (pieces) =>
            `<!doctype html><html lang="${pieces.lang}"><head>${pieces.head}</head><body><p style="color: red">x</p><script>document.title = 'inline ran';</script>${pieces.body}</body></html>`,
        },
      }),
    );
    await signIn(page);
    expect(await page.title()).not.toBe('inline ran');
    expect(consoleErrors.join('\n')).toMatch(/Content Security Policy/);
  });
});
