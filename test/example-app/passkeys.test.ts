// The example app's passkeys over HTTP, with a software authenticator: the Security page, sign-in offering the passkey first, removal, the API-keys page.
import { SoftwareAuthenticator } from '../helpers/software-authenticator';
import { readConfig } from './helpers/example-app';
import { useExampleApp } from './helpers/use-example-app';
import { browser, submit, type Agent } from './helpers/form-browser';
import { signIn, signInWithCode } from './helpers/sign-in-steps';

const ORIGIN = 'http://localhost:3000';
const instance = useExampleApp({ PORT: '3000' });

const json = (agent: Agent, path: string, body: object) => agent.post(path).set('Accept', 'application/json').send(body);

async function addPasskey(agent: Agent, authenticator: SoftwareAuthenticator, name: string) {
  const options = await json(agent, '/account/passkeys/options', { returnTo: '/account' });
  expect(options.status).toBe(200);
  expect(options.body).toMatchObject({
    rp: { id: 'localhost', name: 'Example Co.' },
    user: { name: 'demo' },
    authenticatorSelection: { userVerification: 'required' },
  });
  return json(agent, '/account/passkeys/verify', { response: authenticator.register(options.body), name });
}

describe('passkeys in the example app', () => {
  test('added on the Security page, listed with last use, offered first at sign-in, then removed', async () => {
    const authenticator = new SoftwareAuthenticator(ORIGIN, 'localhost');
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    const before = await agent.get('/account');
    expect(before.text).toContain('No passkey yet.');
    expect(before.text).toContain('<script src="/static/vendor/simplewebauthn-browser.js" defer></script>');
    expect((await agent.get('/static/vendor/simplewebauthn-browser.js')).text).toContain('SimpleWebAuthnBrowser');

    expect((await addPasskey(agent, authenticator, 'Work laptop')).status).toBe(200);
    const page = await agent.get('/account?passkey=added');
    expect(page.text).toContain('Your passkey is added.');
    expect(page.text).toMatch(/<strong>Work laptop<\/strong>[\s\S]*Not used yet\./);
    const listed = await agent.get('/account').set('Accept', 'application/json');
    expect(listed.body.passkeys).toEqual([
      { credentialId: authenticator.id, name: 'Work laptop', createdAt: expect.any(String), lastUsedAt: null },
    ]);

    // Signing in again: the challenge page offers the passkey first, codes below.
    const next = browser(instance.app);
    await signIn(next);
    const challenge = await next.get('/2fa');
    expect(challenge.text).toContain('data-mfa-options="/2fa/passkeys/options" data-mfa-verify="/2fa/passkeys/verify"');
    expect(challenge.text.indexOf('data-mfa-passkey')).toBeGreaterThan(-1);
    expect(challenge.text.indexOf('data-mfa-passkey')).toBeLessThan(challenge.text.indexOf('action="/2fa/send"'));
    const options = await json(next, '/2fa/passkeys/options', {});
    const signedIn = await json(next, '/2fa/passkeys/verify', { response: authenticator.assert(options.body) });
    expect(signedIn.body).toEqual({ verified: true, redirectTo: '/admin' });
    expect((await next.get('/admin')).status).toBe(200);
    expect((await next.get('/account')).text).toMatch(/Work laptop[\s\S]*Last used <time/);
    expect(instance.logs.some((line) => /^mfa passkey_added user=\S+ credential=/.test(line))).toBe(true);

    const removed = await submit(next, '/account', '/account/passkeys/remove', {
      credentialId: authenticator.id,
      returnTo: '/account?passkey=removed',
    });
    expect(removed.status).toBe(303);
    expect(removed.headers.location).toBe('/account?passkey=removed');
    expect((await next.get('/account?passkey=removed')).text).toContain('No passkey yet.');
  });

  test('the API-keys page takes a passkey only: an SMS session is sent to /2fa, which offers nothing else', async () => {
    const authenticator = new SoftwareAuthenticator(ORIGIN, 'localhost');
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await addPasskey(agent, authenticator, 'Key');
    const refused = await agent.get('/admin/api-keys').set('Accept', 'application/json');
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: 'second_factor_required', methods: ['passkey'] });
    const redirected = await agent.get('/admin/api-keys');
    expect(redirected.headers.location).toBe('/2fa');
    const challenge = await agent.get('/2fa');
    expect(challenge.text).toContain('This action needs a passkey: a code sent to your phone is not enough.');
    expect(challenge.text).not.toContain('action="/2fa/send"');
    const options = await json(agent, '/2fa/passkeys/options', {});
    const res = await json(agent, '/2fa/passkeys/verify', { response: authenticator.assert(options.body) });
    expect(res.body).toEqual({ verified: true, redirectTo: '/admin/api-keys' });
    expect((await agent.get('/admin/api-keys')).text).toContain('Opened with a passkey');
  });

  test('production: passkeys are off without PASSKEY_RP_ID; with it the origin defaults to https on that domain', () => {
    const production = {
      NODE_ENV: 'production',
      EXAMPLE_USERS_FILE: '/x',
      MFA_RECOVERY_CODE_SECRET: 'x'.repeat(40),
      BANDWIDTH_ACCOUNT_ID: '1',
      BANDWIDTH_CLIENT_ID: 'c',
      BANDWIDTH_CLIENT_SECRET: 's',
      BANDWIDTH_MESSAGING_APPLICATION_ID: 'm',
      BANDWIDTH_FROM_NUMBER: '+12015550100',
    };
    const config = readConfig(production) as { passkeys?: unknown };
    expect(config.passkeys).toBeUndefined();
    const set = readConfig({ ...production, PASSKEY_RP_ID: 'example.com' }) as { passkeys?: unknown };
    expect(set.passkeys).toEqual({ rpId: 'example.com', origins: ['https://example.com'], rpName: 'Example Co.' });
  });
});
