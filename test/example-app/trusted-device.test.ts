// "Trust this browser for 30 days": the next sign-in on that browser skips the code, never a transfer's.
import { useExampleApp } from './helpers/use-example-app';
import { browser, submit, type Agent } from './helpers/form-browser';
import { enterCode, lastCode, outlastCooldown, sendCode, signIn, signInWithCode } from './helpers/sign-in-steps';

const instance = useExampleApp({ MFA_RESEND_COOLDOWN_SECONDS: '1' });

async function signOut(agent: Agent) {
  expect((await submit(agent, '/admin', '/logout', {})).status).toBe(303);
}

describe('example app trusted browsers', () => {
  test('the checkbox is offered on the sign-in challenge', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const page = await agent.get('/2fa');
    expect(page.text).toContain('<input id="mfa-remember" name="rememberDevice" type="checkbox" value="on"');
    expect(page.text).toContain('<label for="mfa-remember">Trust this browser for 30 days</label>');
  });

  test('ticked: the next sign-in on this browser goes straight to /admin', async () => {
    const agent = browser(instance.app);
    const verified = await signInWithCode(agent, instance.emulator, { rememberDevice: 'on' });
    expect(verified.headers.location).toBe('/admin');
    await signOut(agent);
    await signIn(agent);
    expect((await agent.get('/admin')).status).toBe(200);
    expect(instance.emulator?.sent).toHaveLength(1);
  });

  test('not ticked: the next sign-in asks for a code again', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator);
    await signOut(agent);
    await signIn(agent);
    expect((await agent.get('/admin')).headers.location).toBe('/2fa');
  });

  test('a trusted browser still needs a fresh code for a transfer', async () => {
    const agent = browser(instance.app);
    await signInWithCode(agent, instance.emulator, { rememberDevice: 'on' });
    await signOut(agent);
    await signIn(agent);
    expect((await agent.get('/admin')).status).toBe(200);
    expect((await submit(agent, '/admin/transfer', '/admin/transfer', { amount: '10' })).headers.location).toBe('/2fa');
    await outlastCooldown();
    await sendCode(agent);
    await enterCode(agent, lastCode(instance.emulator));
    expect((await submit(agent, '/admin/transfer', '/admin/transfer', { amount: '10' })).text).toContain('Transfer of 10 USD sent.');
  });
});
