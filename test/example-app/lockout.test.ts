// Lockout: after MFA_MAX_ATTEMPTS wrong codes the challenge page becomes a lockout page with the wait.
import { useExampleApp } from './helpers/use-example-app';
import { browser, submit } from './helpers/form-browser';
import { enterCode, lastCode, sendCode, signIn } from './helpers/sign-in-steps';
import { wrongCode } from '../helpers/flow';

const instance = useExampleApp({ MFA_MAX_ATTEMPTS: '3', MFA_LOCKOUT_SECONDS: '900' });

describe('example app lockout', () => {
  test('the third wrong code locks the user out and the page shows how long to wait', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const wrong = wrongCode(lastCode(instance.emulator));
    expect((await enterCode(agent, wrong)).headers.location).toBe('/2fa?error=invalid_code');
    expect((await enterCode(agent, wrong)).headers.location).toBe('/2fa?error=invalid_code');
    expect((await enterCode(agent, wrong)).headers.location).toBe('/2fa?error=locked_out&wait=900');

    const page = await agent.get('/2fa?error=locked_out');
    expect(page.status).toBe(429);
    expect(Number(page.headers['retry-after'])).toBeGreaterThan(890);
    expect(page.text).toContain('<h1 id="mfa-title">Too many attempts</h1>');
    expect(page.text).toContain('Too many attempts. Try again in 15 minutes.');
    // No form to send or enter codes while locked out.
    expect(page.text).not.toContain('action="/2fa/verify"');
    expect(page.text).not.toContain('action="/2fa/send"');
  });

  test('the right code is refused during the lockout, and signing in again does not lift it', async () => {
    const agent = browser(instance.app);
    await signIn(agent);
    await sendCode(agent);
    const right = lastCode(instance.emulator);
    for (let i = 0; i < 3; i += 1) await enterCode(agent, wrongCode(right));
    // The locked page has no verify form, so post with the token of another page.
    const late = await submit(agent, '/login', '/2fa/verify', { code: right });
    expect(late.headers.location).toBe('/2fa?error=locked_out&wait=900');
    expect((await agent.get('/admin')).status).toBe(302);

    const again = browser(instance.app);
    await signIn(again);
    const page = await again.get('/2fa');
    expect(page.status).toBe(429);
    expect(page.text).toMatch(/Try again in 1[45] minutes\./);
  });
});
