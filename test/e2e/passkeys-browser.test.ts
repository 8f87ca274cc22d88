// Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain) on the example app; screenshots.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type CDPSession, type Page } from 'playwright-core';
import { startExampleApp, type ExampleApp } from '../example-app/helpers/example-app';
import { addVirtualAuthenticator } from '../helpers/virtual-authenticator';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');
const USERS = {
  first: { username: 'passkey-user', password: 'passkey-user-password', phone: '+12015550110' },
  admin: { username: 'passkey-admin', password: 'passkey-admin-password', phone: '+12015550111' },
};
type User = (typeof USERS)[keyof typeof USERS];

jest.setTimeout(90_000);

let instance: ExampleApp;
let server: Server;
let baseUrl: string;
let browser: Browser;
let usersDir: string;
let context: BrowserContext;
let consoleErrors: string[];

/** A free loopback port, known before the app is built: the passkey origin must name it. */
async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\`.`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  usersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-passkeys-'));
  const usersFile = path.join(usersDir, 'users.json');
  fs.writeFileSync(usersFile, JSON.stringify(Object.values(USERS)));
  const port = await freePort();
  // Browsers accept passkeys on https or on localhost: the pages are opened as localhost, which WebAuthn takes as the RP ID.
  instance = await startExampleApp({
    EXAMPLE_USERS_FILE: usersFile,
    PORT: String(port),
    PASSKEY_RP_ID: 'localhost',
    PASSKEY_ORIGINS: `http://localhost:${port}`,
  });
  server = instance.app.listen(port, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  baseUrl = `http://localhost:${port}`;
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: ['--no-sandbox', '--headless', '--host-resolver-rules=MAP localhost 127.0.0.1'],
  });
});

afterAll(async () => {
  await browser?.close();
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  await instance?.close();
  if (usersDir) fs.rmSync(usersDir, { recursive: true, force: true });
});

beforeEach(async () => {
  context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  consoleErrors = [];
});

afterEach(async () => {
  await context?.close();
});

/** A page with a platform authenticator of its own: internal transport, resident keys, user verification that succeeds. */
async function pageWithAuthenticator(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(error.message));
  const { cdp, authenticatorId } = await addVirtualAuthenticator(context, page);
  return { page, cdp, authenticatorId };
}

async function signInWithPassword(page: Page, user: User): Promise<void> {
  await page.goto(`${baseUrl}/login`);
  await page.getByLabel('Username').fill(user.username);
  await page.getByLabel('Password').fill(user.password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL(`${baseUrl}/2fa`);
}

async function smsCode(page: Page): Promise<void> {
  await page.getByLabel('Text message (SMS)').check();
  await page.getByRole('button', { name: 'Send code' }).click();
  await page.waitForURL(`${baseUrl}/2fa?sent=sms`);
  const code = await page.locator('[data-testid="sandbox-code"]').innerText();
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}

async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto(`${baseUrl}/account`);
  await page.getByLabel('Name of the new passkey').fill(name);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(`${baseUrl}/account?passkey=added`);
}

const shot = async (page: Page, name: string) => {
  await page.setViewportSize({ width: 390, height: 844 });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
};

describe('passkeys in the example app, in Chromium', () => {
  test('register a passkey on the account page, sign out, sign in with password then passkey, reach /admin', async () => {
    const { page, cdp, authenticatorId } = await pageWithAuthenticator();
    await signInWithPassword(page, USERS.first);
    await smsCode(page);
    await page.waitForURL(`${baseUrl}/admin`);

    await page.goto(`${baseUrl}/account`);
    await expect(page.getByText('No passkey yet.').isVisible()).resolves.toBe(true);
    await page.getByRole('button', { name: 'Add a passkey' }).waitFor();
    await shot(page, 'account-passkeys-empty');
    await addPasskey(page, 'Test laptop');
    await expect(page.getByRole('status').innerText()).resolves.toContain('Your passkey is added');
    await expect(page.locator('#passkeys li').innerText()).resolves.toMatch(/Test laptop[\s\S]*Not used yet\./);
    const { credentials } = await cdp.send('WebAuthn.getCredentials', { authenticatorId });
    expect(credentials).toHaveLength(1);
    expect(credentials[0]?.isResidentCredential).toBe(true);
    await shot(page, 'account-passkeys');

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.waitForURL(`${baseUrl}/login`);
    await signInWithPassword(page, USERS.first);
    // Offered first, with the codes below as the fallback.
    const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
    await usePasskey.waitFor();
    await expect(page.getByText('No passkey at hand? Get a code instead').isVisible()).resolves.toBe(true);
    await shot(page, 'challenge-passkey');
    await usePasskey.click();
    await page.waitForURL(`${baseUrl}/admin`);
    await expect(page.getByRole('heading', { name: 'Admin' }).isVisible()).resolves.toBe(true);
    expect(instance.logs.some((line) => /^mfa passkey_used user=\S+ scope=2FA credential=/.test(line))).toBe(true);

    await page.goto(`${baseUrl}/account`);
    await expect(page.locator('#passkeys li').innerText()).resolves.toMatch(/Test laptop[\s\S]*Last used/);
    // Removing it: the session's passkey is fresh enough; the phone stays, so it is not the last factor.
    await page.locator('#passkeys li').getByRole('button', { name: 'Remove' }).click();
    await page.waitForURL(`${baseUrl}/account?passkey=removed`);
    await expect(page.getByText('No passkey yet.').isVisible()).resolves.toBe(true);
    expect(instance.logs.some((line) => /^mfa passkey_removed user=\S+ credential=/.test(line))).toBe(true);
    expect(consoleErrors).toEqual([]);
  });

  test('a phishing-resistant page refuses the SMS-verified session and accepts the passkey', async () => {
    const { page } = await pageWithAuthenticator();
    await signInWithPassword(page, USERS.admin);
    await smsCode(page);
    await page.waitForURL(`${baseUrl}/admin`);
    await addPasskey(page, 'Admin key');

    await page.goto(`${baseUrl}/admin/api-keys`);
    // The code of this session does not open it: back to /2fa, where only the passkey is offered.
    await page.waitForURL(`${baseUrl}/2fa`);
    await expect(page.getByText('This action needs a passkey').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Send code' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await shot(page, 'challenge-passkey-required');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${baseUrl}/admin/api-keys`);
    await expect(page.getByRole('heading', { name: 'API keys' }).isVisible()).resolves.toBe(true);
    await shot(page, 'admin-api-keys');
    expect(consoleErrors).toEqual([]);
  });

  test('the enrolment page recommends a passkey after the phone', async () => {
    const { page } = await pageWithAuthenticator();
    await page.goto(`${baseUrl}/signup`);
    await page.getByLabel('Username').fill('new-passkey-user');
    await page.getByLabel('Password').fill('new-passkey-user-password');
    await page.getByRole('button', { name: /Create account|Sign up/ }).click();
    await page.waitForURL(`${baseUrl}/2fa/enrol`);
    await expect(page.getByRole('heading', { name: 'Next: add a passkey' }).isVisible()).resolves.toBe(true);
    await shot(page, 'enrol-passkey-tip');
    expect(consoleErrors).toEqual([]);
  });
});
