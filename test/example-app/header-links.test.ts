// The header offers only links that work at this step: "Security" needs the sign-in code, so it is not shown before it.
import { useExampleApp } from './helpers/use-example-app';
import { browser, submit } from './helpers/form-browser';
import { signIn, signInWithCode } from './helpers/sign-in-steps';
import { signUp } from './helpers/enrolment-steps';

const SECURITY_LINK = '<a href="/account">Security</a>';
const header = (html: string) => /<header class="top">[\s\S]*?<\/header>/.exec(html)?.[0] ?? '';

const instance = useExampleApp();

test('the challenge page before the sign-in code: no Security link (it would bounce back here), and one way out, in the page', async () => {
  const agent = browser(instance.app);
  await signIn(agent);
  const challenge = await agent.get('/2fa');
  expect(header(challenge.text)).not.toContain(SECURITY_LINK);
  expect(challenge.text.match(/action="\/logout"/g)).toHaveLength(1);
  expect(challenge.text).toContain('<span>Not you?</span> <button type="submit" class="mfa-link">Sign out</button>');
  // What the link would have done: back to the challenge.
  expect((await agent.get('/account')).headers.location).toBe('/2fa');
});

test('once the code is in, the header has Security again; a step-up challenge after it keeps the link', async () => {
  const agent = browser(instance.app);
  await signInWithCode(agent, instance.emulator);
  expect(header((await agent.get('/admin')).text)).toContain(SECURITY_LINK);
  expect((await submit(agent, '/admin/transfer', '/admin/transfer', { amount: '10' })).headers.location).toBe('/2fa');
  expect(header((await agent.get('/2fa')).text)).toContain(SECURITY_LINK);
});

test('the first enrolment: no Security link until a number is confirmed, but sign-out is there', async () => {
  const agent = browser(instance.app);
  await signUp(agent, 'ivy');
  const page = await agent.get('/2fa/enrol');
  expect(page.text).toContain('<h1>Add a phone number</h1>');
  expect(header(page.text)).not.toContain(SECURITY_LINK);
  expect(header(page.text)).toContain('action="/logout"');
});
