// The example app in a real browser (Debian's Chromium through playwright-core): sign-in, code, error, lockout; screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { startExampleApp, wrongCode, type ExampleApp } from '../example-app/helpers/example-app';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');
// One user per test: lockouts and resend cooldowns are per user and must not leak between tests.
const USERS = {
  happy: { username: 'demo', password: 'demo-password', phone: '+12015550100' },
  wrong: { username: 'wrong-code', password: 'wrong-code-password', phone: '+12015550101' },
  locked: { username: 'locked', password: 'locked-password', phone: '+12015550102' },
};
type User = (typeof USERS)[keyof typeof USERS];

jest.setTimeout(60_000);

let instance: ExampleApp;
let server: Server;
let baseUrl: string;
let browser: Browser;
let usersDir: string;
let context: BrowserContext;
let consoleErrors: string[];

beforeAll(async () => {
  // Missing Chromium is a failure, not a skip: .ci/run installs it, and a skipped browser test proves nothing.
  if (!fs.existsSync(CHROMIUM))
    throw new Error(`Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (.ci/run does).`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  usersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-e2e-'));
  const usersFile = path.join(usersDir, 'users.json');
  fs.writeFileSync(usersFile, JSON.stringify(Object.values(USERS)));
  instance = await startExampleApp({ EXAMPLE_USERS_FILE: usersFile, MFA_MAX_ATTEMPTS: '3' });
  server = instance.app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--headless'] });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await instance?.close();
  if (usersDir) fs.rmSync(usersDir, { recursive: true, force: true });
});

beforeEach(async () => {
  // A phone-sized window: the pages must work there first.
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  consoleErrors = [];
});

afterEach(async () => {
  // Without a browser (beforeAll failed) there is no context: the one clear error is beforeAll's.
  await context?.close();
});

async function openPage(): Promise<Page> {
  const page = await context.newPage();
  // CSP violations (an inline script or style sneaking in) show up as console errors.
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  return page;
}

async function signIn(page: Page, user: User): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
}

async function sendSms(page: Page): Promise<string> {
  await page.getByLabel('Text message (SMS)').check();
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
  return page.locator('[data-testid="sandbox-code"]').innerText();
}

/** Submits a code and waits for the page it leads to (which may have the same URL as this one). */
async function enterCode(page: Page, code: string): Promise<void> {
  await page.getByLabel('Code', { exact: true }).fill(code);
  const navigated = page.waitForEvent('framenavigated', { predicate: (frame) => frame === page.mainFrame() });
  await page.getByRole('button', { name: 'Verify' }).click();
  await navigated;
  await page.waitForLoadState('load');
}

// Run inside the page. Strings, because this project's TypeScript has no DOM types.
const FOCUSED_ID = 'document.activeElement && document.activeElement.id';
const PHONE_PROBLEMS = `(() => {
  const found = [];
  for (const input of document.querySelectorAll('input:not([type=hidden])')) {
    if (!input.labels || input.labels.length === 0) found.push('no label for ' + input.name);
  }
  const width = document.documentElement.scrollWidth;
  if (width > window.innerWidth) found.push('page is ' + width + 'px wide on a ' + window.innerWidth + 'px screen');
  return found;
})()`;

/** Every visible form control has a label, and nothing is wider than the phone screen. */
async function expectUsableOnAPhone(page: Page): Promise<void> {
  expect(await page.evaluate<string[]>(PHONE_PROBLEMS)).toEqual([]);
}

describe('example app in Chromium', () => {
  test('sign in, choose SMS, enter the code the emulator sent, land on /admin', async () => {
    const page = await openPage();
    await page.goto(`${baseUrl}/login`);
    expect(await page.evaluate<string>(FOCUSED_ID)).toBe('username');
    await expectUsableOnAPhone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'login.png'), fullPage: true });

    await signIn(page, USERS.happy);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Confirm it is you');
    const shown = await sendSms(page);
    expect(shown).toBe(instance.emulator?.lastCode(USERS.happy.phone));
    expect(await page.getByRole('status').innerText()).toContain('We sent a code by text message to +1******0100.');
    // The countdown script ran (CSP allows our own file) and holds the resend button back.
    expect(await page.getByRole('button', { name: 'Send a new code' }).isDisabled()).toBe(true);
    expect(await page.evaluate<string>(FOCUSED_ID)).toBe('mfa-code');
    const code = page.getByLabel('Code', { exact: true });
    expect(await code.getAttribute('autocomplete')).toBe('one-time-code');
    expect(await code.getAttribute('inputmode')).toBe('numeric');
    await expectUsableOnAPhone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'challenge.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'challenge-desktop.png'), fullPage: true });

    await enterCode(page, shown);
    await page.waitForURL(`${baseUrl}/admin`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Admin');
    await page.setViewportSize({ width: 390, height: 844 });
    await expectUsableOnAPhone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'admin.png'), fullPage: true });
    expect(consoleErrors).toEqual([]);
  });

  test('a wrong code shows an error tied to the code field', async () => {
    const page = await openPage();
    await signIn(page, USERS.wrong);
    const right = await sendSms(page);
    await enterCode(page, wrongCode(right));
    await page.waitForURL(`${baseUrl}/2fa?error=invalid_code`);
    const alert = page.locator('#mfa-code-error');
    expect(await alert.innerText()).toContain('That code is not valid.');
    const field = page.getByLabel('Code', { exact: true });
    expect(await field.getAttribute('aria-invalid')).toBe('true');
    expect(await field.getAttribute('aria-describedby')).toContain('mfa-code-error');
    await expectUsableOnAPhone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'challenge-error.png'), fullPage: true });
    expect(page.url()).not.toContain('/admin');
    expect(consoleErrors).toEqual([]);
  });

  test('too many wrong codes lead to the lockout page with the time to wait', async () => {
    const page = await openPage();
    await signIn(page, USERS.locked);
    const wrong = wrongCode(await sendSms(page));
    for (let attempt = 1; attempt <= 3; attempt += 1) await enterCode(page, wrong);
    await page.waitForURL(`${baseUrl}/2fa?error=locked_out&wait=900`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Too many attempts');
    expect(await page.getByRole('alert').innerText()).toBe('Too many attempts. Try again in 15 minutes.');
    expect(await page.locator('form[action="/2fa/verify"]').count()).toBe(0);
    await expectUsableOnAPhone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'lockout.png'), fullPage: true });
    await page.setViewportSize({ width: 1280, height: 800 });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'lockout-desktop.png'), fullPage: true });
    // The console shows the 429 of the lockout page itself; nothing else may be there.
    expect(consoleErrors.filter((text) => !/status of 429/.test(text))).toEqual([]);
  });

  test('sign-up from the sign-in page: a taken name is shown at its field, a new one leads on to enrolment', async () => {
    const page = await openPage();
    await page.goto(`${baseUrl}/login`);
    await page.getByRole('link', { name: 'Create one' }).click();
    await page.waitForURL(`${baseUrl}/signup`);
    expect(await page.evaluate<string>(FOCUSED_ID)).toBe('username');
    await expectUsableOnAPhone(page);
    await page.screenshot({ path: path.join(SCREENSHOTS, 'signup.png'), fullPage: true });

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
    await page.screenshot({ path: path.join(SCREENSHOTS, 'signup-error.png'), fullPage: true });

    await username.fill('new-user');
    await page.getByLabel('Password').fill('a-new-password');
    await page.getByRole('button', { name: 'Create account' }).click();
    // Enrolment is the next step (test/e2e/lifecycle.test.ts walks it).
    await page.waitForURL(`${baseUrl}/2fa/enrol`);
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Add a phone number');
    expect(await instance.accounts.findByUsername('new-user')).toMatchObject({ phoneNumber: null });
    // The console shows the 400 of the refused form; nothing else may be there.
    expect(consoleErrors.filter((text) => !/status of 400/.test(text))).toEqual([]);
  });
});
