// The example app served on loopback with Chromium in front of it, for the tests of test/e2e: one app and one browser per file.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Server } from 'node:http';
import type { BrowserContext, BrowserContextOptions, Page } from 'playwright-core';
import { LOCALHOST_IS_LOOPBACK, PHONE_VIEWPORT, collectErrors, useChromium } from '../../helpers/chromium';
import { closeServer, freePort, serveOnLoopback } from '../../helpers/loopback-server';
import { startExampleApp, type ExampleApp } from './example-app';

/** An account of the users file (EXAMPLE_USERS_FILE). */
export interface FileUser {
  username: string;
  password: string;
  phone: string;
}

export interface ExampleAppInChromiumOptions {
  /** The app's environment, as startExampleApp takes it. */
  env?: Record<string, string>;
  /** Accounts written to a users file of this file's own, which the app reads. */
  users?: FileUser[];
  /** Serves the app as http://localhost on a port chosen before it is built, the passkey relying party of that origin. */
  passkeys?: boolean;
  /** One browser context for the whole file, with these options (a walk through many pages); by default a phone-sized one per test. */
  sharedContext?: BrowserContextOptions;
}

/** What the file's tests see; read it inside hooks and tests only. */
export interface ExampleAppInChromium {
  readonly instance: ExampleApp;
  readonly baseUrl: string;
  readonly context: BrowserContext;
  /** What the pages of this test (of the file, with a shared context) logged as errors or threw. */
  readonly consoleErrors: string[];
  /** A new page of the context, its errors collected. */
  openPage(): Promise<Page>;
  /** Signs in with the password on /login and waits to land on `landing`. */
  signIn(page: Page, user: Pick<FileUser, 'username' | 'password'>, landing?: string): Promise<void>;
  /** On the challenge page: asks for an SMS code and returns it as the sandbox banner shows it. */
  sendSms(page: Page): Promise<string>;
}

function present<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`useExampleAppInChromium: ${what} exists only inside hooks and tests`);
  return value;
}

/** Registers the hooks of the file (call it once, at the top level) and returns what its tests see. */
export function useExampleAppInChromium(options: ExampleAppInChromiumOptions = {}): ExampleAppInChromium {
  const chromium = useChromium(options.passkeys ? ['--headless', LOCALHOST_IS_LOOPBACK] : ['--headless']);
  let instance: ExampleApp | undefined;
  let server: Server | undefined;
  let baseUrl: string | undefined;
  let usersDir: string | undefined;
  let context: BrowserContext | undefined;
  let consoleErrors: string[] = [];

  const newContext = async (contextOptions: BrowserContextOptions) => {
    context = await chromium.browser.newContext(contextOptions);
    consoleErrors = [];
  };

  beforeAll(async () => {
    const env = { ...options.env };
    if (options.users) {
      usersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-e2e-users-'));
      env.EXAMPLE_USERS_FILE = path.join(usersDir, 'users.json');
      fs.writeFileSync(env.EXAMPLE_USERS_FILE, JSON.stringify(options.users));
    }
    // Browsers accept passkeys on https or on localhost: the pages are opened as localhost, which WebAuthn takes as the RP ID.
    const passkeyPort = options.passkeys ? await freePort() : undefined;
    if (passkeyPort !== undefined)
      Object.assign(env, { PORT: String(passkeyPort), PASSKEY_RP_ID: 'localhost', PASSKEY_ORIGINS: `http://localhost:${passkeyPort}` });
    instance = await startExampleApp(env);
    const served = await serveOnLoopback(instance.app, passkeyPort);
    server = served.server;
    baseUrl = `http://${options.passkeys ? 'localhost' : '127.0.0.1'}:${served.port}`;
    if (options.sharedContext) await newContext(options.sharedContext);
  });
  afterAll(async () => {
    await context?.close();
    await closeServer(server);
    await instance?.close();
    if (usersDir) fs.rmSync(usersDir, { recursive: true, force: true });
  });
  if (!options.sharedContext) {
    beforeEach(() => newContext({ viewport: PHONE_VIEWPORT }));
    afterEach(async () => {
      // Without a browser (beforeAll failed) there is no context: the one clear error is beforeAll's.
      await context?.close();
      context = undefined;
    });
  }

  const bed: ExampleAppInChromium = {
    get instance() {
      return present(instance, 'the app');
    },
    get baseUrl() {
      return present(baseUrl, 'the address of the app');
    },
    get context() {
      return present(context, 'the browser context');
    },
    get consoleErrors() {
      return consoleErrors;
    },
    async openPage() {
      const page = await bed.context.newPage();
      collectErrors(page, consoleErrors);
      return page;
    },
    async signIn(page, user, landing = '/2fa') {
      await page.goto(`${bed.baseUrl}/login`);
      await page.getByLabel('Username').fill(user.username);
      await page.getByLabel('Password').fill(user.password);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL(`${bed.baseUrl}${landing}`);
    },
    async sendSms(page) {
      await page.getByLabel('Text message (SMS)').check();
      await page.getByRole('button', { name: 'Send code' }).click();
      await page.waitForURL(`${bed.baseUrl}/2fa?sent=sms`);
      return page.locator('[data-testid="sandbox-code"]').innerText();
    },
  };
  return bed;
}
