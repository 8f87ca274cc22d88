// The built-in challenge page's "Use a passkey" in Chromium, under `default-src 'self'`: the page serves its own scripts.
import type { Server } from 'node:http';
import type { BrowserContext, Page } from 'playwright-core';
import { passkeyRecords } from '../helpers/passkey-records';
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { usePageBed } from './page-app';
import { addVirtualAuthenticator } from '../helpers/virtual-authenticator';
import { DESKTOP_VIEWPORT, LOCALHOST_IS_LOOPBACK, PHONE_VIEWPORT, collectErrors, screenshot, useChromium } from '../helpers/chromium';
import { closeServer, freePort, serveOnLoopback } from '../helpers/loopback-server';

jest.setTimeout(60_000);

const bed = usePageBed('page-passkeys');
const chromium = useChromium([LOCALHOST_IS_LOOPBACK]);
let context: BrowserContext | undefined;
let server: Server | undefined;

afterEach(async () => {
  await context?.close();
  context = undefined;
  await closeServer(server);
  server = undefined;
});

const shot = async (page: Page, name: string) => {
  await screenshot(page, `challenge-page-${name}`);
  await page.setViewportSize(DESKTOP_VIEWPORT);
  await screenshot(page, `challenge-page-${name}-desktop`);
  await page.setViewportSize(PHONE_VIEWPORT);
};

describe('the built-in challenge page with a passkey', () => {
  test('offers "Use a passkey" first, with SMS below, and signs in with it under a strict CSP', async () => {
    const port = await freePort();
    const origin = `http://localhost:${port}`;
    const records = passkeyRecords({ origins: [origin] });
    const key = new SoftwareAuthenticator(origin, 'localhost');
    await records.options.savePasskey('user-alice', key.stored(), undefined);
    const app = bed.app({ csp: true, mfa: { passkeys: records.options } });
    server = (await serveOnLoopback(app, port)).server;

    context = await chromium.browser.newContext({ viewport: PHONE_VIEWPORT });
    const page = await context.newPage();
    const consoleErrors: string[] = [];
    collectErrors(page, consoleErrors);
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
