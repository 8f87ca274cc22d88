// The second factor's life in Chromium: sign up, enrol, save recovery codes, sign in with one, change the number; screenshots.
import fs from 'node:fs';
import type { Page } from 'playwright-core';
import { useExampleAppInChromium } from '../example-app/helpers/example-app-in-chromium';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, screenshot } from '../helpers/chromium';
import { focusedId, expectUsableOnAPhone } from '../helpers/page-checks';

const USER = { username: 'walker', password: 'walker-password-1' };
const FIRST_PHONE = { typed: '(201) 555-0161', e164: '+12015550161', masked: '+1******0161' };
const NEW_PHONE = { typed: '202-555-0162', e164: '+12025550162', masked: '+1******0162' };

jest.setTimeout(180_000);

// A 1-second resend wait: the countdown script holds each send button back that long, and clicks wait for it.
const bed = useExampleAppInChromium({
  env: { MFA_RESEND_COOLDOWN_SECONDS: '1' },
  sharedContext: { viewport: PHONE_VIEWPORT, acceptDownloads: true },
});

/** An error paragraph tied to its field: role=alert, and the field points at it and says it is invalid. */
async function expectErrorTiedTo(page: Page, fieldId: string, text: string): Promise<void> {
  const error = page.locator(`#${fieldId}-error`);
  expect(await error.getAttribute('role')).toBe('alert');
  expect(await error.innerText()).toContain(text);
  const field = page.locator(`#${fieldId}`);
  expect(await field.getAttribute('aria-invalid')).toBe('true');
  expect(await field.getAttribute('aria-describedby')).toContain(`${fieldId}-error`);
  expect(await focusedId(page)).toBe(fieldId);
}

async function sandboxCode(page: Page): Promise<string> {
  return page.locator('[data-testid="sandbox-code"]').innerText();
}

async function signOut(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.waitForURL(`${bed.baseUrl}/login`);
}

/** Sends a code to the new number from the enrolment page and confirms it with the code the sandbox shows. */
async function enrolNumber(page: Page, phone: { typed: string; masked: string }): Promise<void> {
  await page.getByLabel(/^Phone number/).fill(phone.typed);
  await page.getByLabel('Text message (SMS)').check();
  await page.getByRole('button', { name: /^Send (a new )?code$/ }).click();
  await page.waitForURL(`${bed.baseUrl}/2fa/enrol?sent=sms`);
  expect(await page.getByRole('status').innerText()).toBe(`We sent a code by text message to ${phone.masked}.`);
  expect(await focusedId(page)).toBe('code');
}

describe('the second factor from sign-up to recovery, in Chromium', () => {
  test('sign up, enrol, save the codes, sign in with a recovery code, change the number with a fresh code', async () => {
    const page = await bed.openPage();

    // --- Sign up, then the enrolment page.
    await page.goto(`${bed.baseUrl}/signup`);
    await page.getByLabel('Username').fill(USER.username);
    await page.getByLabel('Password').fill(USER.password);
    await page.getByRole('button', { name: 'Create account' }).click();
    await page.waitForURL(`${bed.baseUrl}/2fa/enrol`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Add a phone number');
    expect(await focusedId(page)).toBe('phone');
    const phoneField = page.getByLabel('Phone number');
    expect(await phoneField.getAttribute('type')).toBe('tel');
    expect(await phoneField.getAttribute('autocomplete')).toBe('tel');
    expect(await page.locator('#phone-hint').innerText()).toContain('(201) 555-0123');
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'enrol');

    // A number that is not one: the sentence at the field.
    await phoneField.fill('555-0100');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${bed.baseUrl}/2fa/enrol?error=invalid_phone_number`);
    await expectErrorTiedTo(page, 'phone', 'That phone number is not valid.');
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'enrol-error');

    await enrolNumber(page, FIRST_PHONE);
    const code = page.getByLabel('Code', { exact: true });
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await sandboxCode(page)).toBe(bed.instance.emulator?.lastCode(FIRST_PHONE.e164));
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'enrol-code');
    await code.fill(await sandboxCode(page));
    await page.getByRole('button', { name: 'Confirm this number' }).click();

    // --- The recovery codes, shown until saved.
    await page.waitForURL(`${bed.baseUrl}/2fa/recovery-codes`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Save your recovery codes');
    const codes = await page.locator('.recovery-codes code').allInnerTexts();
    expect(codes).toHaveLength(10);
    // print.js ran (CSP allows our own file) and showed its button.
    expect(await page.getByRole('button', { name: 'Print' }).isVisible()).toBe(true);
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'recovery-codes');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await screenshot(page, 'recovery-codes-desktop');
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, 'recovery-codes-print');
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize(PHONE_VIEWPORT);

    const download = page.waitForEvent('download');
    await page.getByRole('link', { name: 'Download as .txt' }).click();
    const file = await (await download).path();
    expect((await download).suggestedFilename()).toBe('recovery-codes.txt');
    expect(
      fs
        .readFileSync(file, 'utf8')
        .split('\r\n')
        .filter((line) => /^[A-Z0-9]{4}-/.test(line)),
    ).toEqual(codes);

    // "Continue" without ticking the box: refused, the codes still there.
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForLoadState('load');
    await expectErrorTiedTo(page, 'saved', 'Tick the box once the codes are saved');
    expect(await page.locator('.recovery-codes code').allInnerTexts()).toEqual(codes);
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'recovery-codes-error');
    await page.getByLabel('I have saved these codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${bed.baseUrl}/admin`);

    // --- Signed out, in again without the phone: a recovery code.
    await signOut(page);
    await bed.signIn(page, USER, '/2fa');
    await page.getByText('Lost your phone? Use a recovery code').click();
    const recoveryField = page.getByLabel('Recovery code');
    expect(await recoveryField.isVisible()).toBe(true);
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'challenge-recovery');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await screenshot(page, 'challenge-recovery-desktop');
    await page.setViewportSize(PHONE_VIEWPORT);
    await recoveryField.fill('AAAA-BBBB-CCCC');
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    await page.waitForURL(`${bed.baseUrl}/2fa?form=recovery&error=invalid_code`);
    await expectErrorTiedTo(page, 'mfa-recovery-code', 'That recovery code is not valid or was already used.');
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'challenge-recovery-error');
    await page.getByLabel('Recovery code').fill(codes[0] as string);
    await page.getByRole('button', { name: 'Use recovery code' }).click();
    // A used code: a new set at once, replacing the old one.
    await page.waitForURL(`${bed.baseUrl}/2fa/recovery-codes`);
    const renewed = await page.locator('.recovery-codes code').allInnerTexts();
    expect(renewed).toHaveLength(10);
    expect(renewed.filter((code) => codes.includes(code))).toEqual([]);
    await page.getByLabel('I have saved these codes somewhere safe').check();
    await page.getByRole('button', { name: 'Continue' }).click();
    await page.waitForURL(`${bed.baseUrl}/admin`);

    await page.getByRole('link', { name: 'Security', exact: true }).click();
    await page.waitForURL(`${bed.baseUrl}/account`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Security settings');
    expect(await page.locator('main').innerText()).toContain('You have 10 recovery codes left.');

    // --- A code and "trust this browser", then a sign-in the trusted browser lets through without a code.
    await signOut(page);
    await bed.signIn(page, USER, '/2fa');
    await page.getByLabel('Code', { exact: true }).fill(await bed.sendSms(page));
    await page.getByLabel(/Trust this browser/).check();
    await page.getByRole('button', { name: 'Verify' }).click();
    await page.waitForURL(`${bed.baseUrl}/admin`);
    await signOut(page);
    await bed.signIn(page, USER, '/admin');
    await page.goto(`${bed.baseUrl}/account`);
    expect(await page.locator('.devices li').count()).toBe(1);
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'account');

    // --- Changing the number: a trusted browser is not a fresh code, so a code to the current number first...
    await page.getByRole('link', { name: 'Change phone number' }).click();
    await page.waitForURL(`${bed.baseUrl}/2fa`);
    expect(await page.locator('main').innerText()).toContain('To change your phone number, first confirm it is you.');
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'challenge-before-change');
    await page.getByRole('button', { name: 'Send code' }).click();
    await page.waitForURL(`${bed.baseUrl}/2fa?sent=sms`);
    await page.getByLabel('Code', { exact: true }).fill(await sandboxCode(page));
    await page.getByRole('button', { name: 'Verify' }).click();
    // ...and back where the user was going.
    await page.waitForURL(`${bed.baseUrl}/2fa/enrol`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Change your phone number');
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'enrol-change');
    await enrolNumber(page, NEW_PHONE);
    await page.getByLabel('Code', { exact: true }).fill(await sandboxCode(page));
    await page.getByRole('button', { name: 'Confirm this number' }).click();
    await page.waitForURL(`${bed.baseUrl}/account?changed=phone`);
    expect(await page.getByRole('status').innerText()).toContain(`Your phone number is now ${NEW_PHONE.masked}.`);
    // Replacing the number revoked the trusted browser.
    expect(await page.locator('.devices li').count()).toBe(0);
    await expectUsableOnAPhone(page, { tapTargets: true });
    await screenshot(page, 'account-changed');
    await page.setViewportSize(DESKTOP_VIEWPORT);
    await screenshot(page, 'account-desktop');
    expect((await bed.instance.accounts.findByUsername(USER.username))?.phoneNumber).toBe(NEW_PHONE.e164);

    // The console shows the 400 of the unticked box; nothing else may be there (no CSP violation).
    expect(bed.consoleErrors.filter((text) => !/status of 400/.test(text))).toEqual([]);
  });
});
