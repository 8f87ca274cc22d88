// Debian's Chromium for the browser tests (through playwright-core): one browser per file, the errors each page reports, screenshots.
import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = path.join(__dirname, '..', '..', 'test-output', 'screenshots');

/** A phone-sized window, where the pages must work first, and a desktop one. */
export const PHONE_VIEWPORT = { width: 390, height: 844 };
export const DESKTOP_VIEWPORT = { width: 1280, height: 800 };

/** Resolves `localhost` to 127.0.0.1 inside the browser: passkeys need a localhost origin, the servers listen on loopback. */
export const LOCALHOST_IS_LOOPBACK = '--host-resolver-rules=MAP localhost 127.0.0.1';

/** What the file's tests see; read it inside hooks and tests only. */
export interface ChromiumBed {
  readonly browser: Browser;
}

/**
 * Launches Chromium headless, without its sandbox and with `args`, before the file's tests, and closes it after them.
 * Missing Chromium is a failure, not a skip: .ci/run installs it, and a skipped browser test proves nothing.
 */
export function useChromium(args: string[] = []): ChromiumBed {
  let browser: Browser | undefined;
  beforeAll(async () => {
    if (!fs.existsSync(CHROMIUM))
      throw new Error(`Chromium not found at ${CHROMIUM}; install it with \`apt-get install -y chromium\` (.ci/run does).`);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', ...args] });
  });
  afterAll(async () => {
    await browser?.close();
  });
  return {
    get browser() {
      if (!browser) throw new Error('useChromium: the browser exists only inside hooks and tests, once launched');
      return browser;
    },
  };
}

/** Collects into `errors` what the page logs as an error and what it throws: CSP refusals show up there. */
export function collectErrors(page: Page, errors: string[]): void {
  page.on('console', (message) => {
    if (message.type() === 'error') errors.push(message.text());
  });
  page.on('pageerror', (error) => errors.push(error.message));
}

/** The whole page as test-output/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
}
