// The example app in a real browser (Debian's Chromium through playwright-core): sign-in, code, error, lockout; screenshots.
import type { Page } from 'playwright-core';
import { wrongCode } from '../helpers/flow';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, screenshot } from '../helpers/chromium';
import { focusedId, expectUsableOnAPhone } from '../helpers/page-checks';
import { useExampleAppInChromium } from '../example-app/helpers/example-app-in-chromium';

// One user per test: lockouts and resend cooldowns are per user and must not leak between tests.
const USERS = {
  happy: { username: 'demo', password: 'demo-password', phone: '+12015550100' },
  wrong: { username: 'wrong-code', password: 'wrong-code-password', phone: '+12015550101' },
  locked: { username: 'locked', password: 'locked-password', phone: '+12015550102' },
};

jest.setTimeout(60_000);

const bed = useExampleAppInChromium({ users: Object.values(USERS), env: { MFA_MAX_ATTEMPTS: '3' } });

/** Submits a code and waits for the page it leads to (which may have the same URL as this one). */
async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Code', { exact: true }).fill(code);
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await page.getByRole('button', { name: 'Verify' }).click();
  await navigated;
  await page.waitForLoadState('load');
}

describe('example app in Chromium', () => {
  test('sign in, choose SMS, enter the code the emulator sent, land on /admin', async () => {
    const page = await bed.openPage();
    await page.goto(`${bed.baseUrl}/login`);
    expect(await focusedId(page)).toBe('username');
    await expectUsableOnAPhone(page);
    await screenshot(page, 'login');

    await bed.signIn(page, USERS.happy);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Confirm it is you');
    const shown = await bed.sendSms(page);
    expect(shown).toBe(bed.instance.emulator?.lastCode(USERS.happy.phone));
    expect(await page.getByRole('status').innerText()).toContain('We sent a code by text message to +1******0100.');
    // The countdown script ran (CSP allows our own file) and holds the resend button back.
    expect(await page.getByRole('button', { name: 'Send a new code' }).isDisabled()).toBe(true);
    expect(await focusedId(page)).toBe('mfa-code');
    const code = page.getByLabel('Code', { exact: true });
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await expectUsableOnAPhone(page);
    await screenshot(page, 'challenge');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await screenshot(page, 'challenge-desktop');

    await enterCode(page, shown);
    await page.waitForURL(`${bed.baseUrl}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Admin');
    await page.setViewportSize(PHONE_VIEWPORT);
    await expectUsableOnAPhone(page);
    await screenshot(page, 'admin');
    expect(bed.consoleErrors).toEqual([]);
  });

  test('a wrong code shows an error tied to the code field', async () => {
    const page = await bed.openPage();
    await bed.signIn(page, USERS.wrong);
    const right = await bed.sendSms(page);
    await enterCode(page, wrongCode(right));
    await page.waitForURL(`${bed.baseUrl}/2fa?error=invalid_code`);
    const alert = page.locator('#mfa-code-error');
    expect(await alert.innerText()).toContain('That code is not valid.');
    const field = page.getByLabel('Code', { exact: true });
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('mfa-code-error');
    await expectUsableOnAPhone(page);
    await screenshot(page, 'challenge-error');
    expect(page.url()).not.toContain('/admin');
    expect(bed.consoleErrors).toEqual([]);
  });

  test('too many wrong codes lead to the lockout page with the time to wait', async () => {
    const page = await bed.openPage();
    await bed.signIn(page, USERS.locked);
    const wrong = wrongCode(await bed.sendSms(page));
    for (let attempt = 1; attempt <= 3; attempt += 1) await enterCode(page, wrong);
    await page.waitForURL(`${bed.baseUrl}/2fa?error=locked_out&wait=900`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Too many attempts');
    expect(await page.getByRole('alert').innerText()).toBe('Too many attempts. Try again in 15 minutes.');
    expect(await page.locator('form[action="/2fa/verify"]').count()).toBe(0);
    await expectUsableOnAPhone(page);
    await screenshot(page, 'lockout');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await screenshot(page, 'lockout-desktop');
    // The console shows the 429 of the lockout page itself; nothing else may be there.
    expect(bed.consoleErrors.filter((text) => !/status of 429/.test(text))).toEqual([]);
  });

  test('sign-up from the sign-in page: a taken name is shown at its field, a new one leads on to enrolment', async () => {
    const page = await bed.openPage();
    await page.goto(`${bed.baseUrl}/login`);
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.waitForURL(`${bed.baseUrl}/signup`);
    expect(await focusedId(page)).toBe('username');
    await expectUsableOnAPhone(page);
    await screenshot(page, 'signup');

    await page.getByLabel('Username').fill(USERS.happy.username);
    await page.getByLabel('Password').fill('a-new-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForLoadState('load');
    const username = page.getByLabel('Username');
    expect(await page.locator('#username-error').innerText()).toBe('That username is taken. Choose another one.');
    expect(await username.getAttribute('aria-invalid')).toBe('true');
    expect(await username.getAttribute('aria-describedby')).toContain('username-error');
    expect(await page.getByLabel('Password').inputValue()).toBe('');
    await expectUsableOnAPhone(page);
    await screenshot(page, 'signup-error');

    await username.fill('new-user');
    await page.getByLabel('Password').fill('a-new-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Enrolment is the next step (test/e2e/lifecycle.test.ts walks it).
    await page.waitForURL(`${bed.baseUrl}/2fa/enrol`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Add a phone number');
    expect(await bed.instance.accounts.findByUsername('new-user')).toMatchObject({ phoneNumber: null });
    // The console shows the 400 of the refused form; nothing else may be there.
    expect(bed.consoleErrors.filter((text) => !/status of 400/.test(text))).toEqual([]);
  });
});
