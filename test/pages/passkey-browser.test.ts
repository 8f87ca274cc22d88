// The built-in challenge page's "Use a passkey" in Chromium, under `default-src 'self'`: the page serves its own scripts.
import fs from 'node:fs';
import path from 'node:path';
import net, { type AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { passkeyRecords } from '../helpers/passkey-records';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { usePageBed } from './page-app';
import { addVirtualAuthenticator } from '../helpers/virtual-authenticator';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

jest.setTimeout(60_000);

const bed = usePageBed('page-passkeys');
let browser: Browser;
let context: BrowserContext | undefined;
let server: Server | undefined;

beforeAll(async () => {
  if (!fs.existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\`.`);
  fs.mkdirSync(SCREENSHOTS, { recursive: true });
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--host-resolver-rules=MAP localhost 127.0.0.1'],
  });
});

afterAll(async () => {
  await browser?.close();
});

afterEach(async () => {
  await context?.close();
  context = undefined;
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  const { port } = probe.address() as AddressInfo;
  await new Promise((resolve) => probe.close(resolve));
  return port;
}

const shot = async (page: Page, name: string) => {
  await page.screenshot({ path: path.join(SCREENSHOTS, `challenge-page-${name}.png`), fullPage: true });
  await page.setViewportSize({ width: 1280, height: 800 });
  await page.screenshot({ path: path.join(SCREENSHOTS, `challenge-page-${name}-desktop.png`), fullPage: true });
  await page.setViewportSize({ width: 390, height: 844 });
};

describe('the built-in challenge page with a passkey', () => {
  test('offers "Use a passkey" first, with SMS below, and signs in with it under a strict CSP', async () => {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const records = passkeyRecords({ origins: [origin] });
    const key = new SoftwareAuthenticator(origin, 'localhost');
    await records.options.savePasskey('user-alice', key.stored(), undefined);
    const app = bed.app({ csp: true, mfa: { passkeys: records.options } });
    server = app.listen(port, '127.0.0.1');
    await new Promise((resolve) => server?.once('listening', resolve));

    context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())));
    page.on('pageerror', (error) => consoleErrors.push(error.message));
    const { cdp, authenticatorId } = await addVirtualAuthenticator(context, page);
    await cdp.send('WebAuthn.addCredential', { authenticatorId, credential: key.forBrowser() });

    await page.goto(`${origin}/admin`);
    await page.waitForURL(/\/login/);
    await page.getByLabel('Username').fill('alice');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.waitForURL(`${origin}/2fa`);
    const button = page.getByRole('button', { name: 'Use a passkey' });
    await button.waitFor();
    await page.getByRole('button', { name: 'Send code' }).waitFor();
    await shot(page, 'passkey');
    await button.click();
    await page.waitForURL(`${origin}/admin`);
    await expect(page.getByRole('heading', { name: 'Admin' }).isVisible()).resolves.toBe(true);
    expect(records.of('user-alice')[0]?.counter).toBeGreaterThan(0);
    expect(consoleErrors).toEqual([]);
  });
});
