// Passkeys in a real browser: Chromium's virtual authenticator (DevTools WebAuthn domain) on the example app; screenshots.
import type { CDPSession, Page } from 'playwright-core';
import { useExampleAppInChromium } from '../example-app/helpers/example-app-in-chromium';
import { DESKTOP_VIEWPORT, PHONE_VIEWPORT, screenshot } from '../helpers/chromium';
import { addVirtualAuthenticator } from '../helpers/virtual-authenticator';

const USERS = {
  first: { username: 'passkey-user', password: 'passkey-user-password', phone: '+12015550110' },
  admin: { username: 'passkey-admin', password: 'passkey-admin-password', phone: '+12015550111' },
};

jest.setTimeout(90_000);

const bed = useExampleAppInChromium({ users: Object.values(USERS), passkeys: true });

/** A page with a platform authenticator of its own: internal transport, resident keys, user verification that succeeds. */
async function pageWithAuthenticator(): Promise<{ page: Page; cdp: CDPSession; authenticatorId: string }> {
  const page = await bed.openPage();
  const { cdp, authenticatorId } = await addVirtualAuthenticator(bed.context, page);
  return { page, cdp, authenticatorId };
}

async function smsCode(page: Page): Promise<void> {
  const code = await bed.sendSms(page);
  await page.getByLabel('Code', { exact: true }).fill(code);
  await page.getByRole('button', { name: 'Verify' }).click();
}
async function addPasskey(page: Page, name: string): Promise<void> {
  await page.goto(`${bed.baseUrl}/account`);
  await page.getByLabel('Name of the new passkey').fill(name);
  await page.getByRole('button', { name: 'Add a passkey' }).click();
  await page.waitForURL(`${bed.baseUrl}/account?passkey=added`);
}

const shot = async (page: Page, name: string) => {
  await page.setViewportSize(PHONE_VIEWPORT);
  await screenshot(page, name);
  await page.setViewportSize(DESKTOP_VIEWPORT);
  await screenshot(page, `${name}-desktop`);
  await page.setViewportSize(PHONE_VIEWPORT);
};

describe('passkeys in the example app, in Chromium', () => {
  test('register a passkey on the account page, sign out, sign in with password then passkey, reach /admin', async () => {
    const { page, cdp, authenticatorId } = await pageWithAuthenticator();
    await bed.signIn(page, USERS.first);
    await smsCode(page);
    await page.waitForURL(`${bed.baseUrl}/admin`);

    await page.goto(`${bed.baseUrl}/account`);
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
    await page.waitForURL(`${bed.baseUrl}/login`);
    await bed.signIn(page, USERS.first);
    // Offered first, with the codes below as the fallback.
    const usePasskey = page.getByRole('button', { name: 'Use a passkey' });
    await usePasskey.waitFor();
    await expect(page.getByText('No passkey at hand? Get a code instead').isVisible()).resolves.toBe(true);
    await shot(page, 'challenge-passkey');
    await usePasskey.click();
    await page.waitForURL(`${bed.baseUrl}/admin`);
    await expect(page.getByRole('heading', { name: 'Admin' }).isVisible()).resolves.toBe(true);
    expect(bed.instance.logs.some((line) => /^mfa passkey_used user=\S+ scope=2FA credential=/.test(line))).toBe(true);

    await page.goto(`${bed.baseUrl}/account`);
    await expect(page.locator('#passkeys li').innerText()).resolves.toMatch(/Test laptop[\s\S]*Last used/);
    // Removing it: the session's passkey is fresh enough; the phone stays, so it is not the last factor.
    await page.locator('#passkeys li').getByRole('button', { name: 'Remove' }).click();
    await page.waitForURL(`${bed.baseUrl}/account?passkey=removed`);
    await expect(page.getByText('No passkey yet.').isVisible()).resolves.toBe(true);
    expect(bed.instance.logs.some((line) => /^mfa passkey_removed user=\S+ credential=/.test(line))).toBe(true);
    expect(bed.consoleErrors).toEqual([]);
  });

  test('a phishing-resistant page refuses the SMS-verified session and accepts the passkey', async () => {
    const { page } = await pageWithAuthenticator();
    await bed.signIn(page, USERS.admin);
    await smsCode(page);
    await page.waitForURL(`${bed.baseUrl}/admin`);
    await addPasskey(page, 'Admin key');

    await page.goto(`${bed.baseUrl}/admin/api-keys`);
    // The code of this session does not open it: back to /2fa, where only the passkey is offered.
    await page.waitForURL(`${bed.baseUrl}/2fa`);
    await expect(page.getByText('This action needs a passkey').isVisible()).resolves.toBe(true);
    await expect(page.getByRole('button', { name: 'Send code' }).count()).resolves.toBe(0);
    await page.getByRole('button', { name: 'Use a passkey' }).waitFor();
    await shot(page, 'challenge-passkey-required');
    await page.getByRole('button', { name: 'Use a passkey' }).click();
    await page.waitForURL(`${bed.baseUrl}/admin/api-keys`);
    await expect(page.getByRole('heading', { name: 'API keys' }).isVisible()).resolves.toBe(true);
    await shot(page, 'admin-api-keys');
    expect(bed.consoleErrors).toEqual([]);
  });

  test('the enrolment page recommends a passkey after the phone', async () => {
    const { page } = await pageWithAuthenticator();
    await page.goto(`${bed.baseUrl}/signup`);
    await page.getByLabel('Username').fill('new-passkey-user');
    await page.getByLabel('Password').fill('new-passkey-user-password');
    await page.getByRole('button', { name: /Create account|Sign up/ }).click();
    await page.waitForURL(`${bed.baseUrl}/2fa/enrol`);
    await expect(page.getByRole('heading', { name: 'Next: add a passkey' }).isVisible()).resolves.toBe(true);
    await shot(page, 'enrol-passkey-tip');
    expect(bed.consoleErrors).toEqual([]);
  });
});
