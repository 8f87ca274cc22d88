// Meaningful notice in the example app: the enrolment and challenge pages say what phone codes leave open, and where a stronger factor is.
import { useExampleApp } from './helpers/use-example-app';
import { browser } from './helpers/form-browser';
import { signIn } from './helpers/sign-in-steps';
import { signUp } from './helpers/enrolment-steps';

const ENROL_NOTICE =
  /<p class="hint" id="phone-risk">Codes sent to your phone do not protect you against a SIM swap, your number being ported away, or someone intercepting the message or call\. <a href="\/account">A passkey is stronger: add one in your security settings\.<\/a><\/p>/;

const CHALLENGE_NOTICE =
  /<p class="mfa-hint" id="mfa-risk">Codes sent to your phone do not protect you against a SIM swap, your number being ported away, or someone intercepting the message or call\. <a href="\/account">A passkey is stronger: add one in your account settings\.<\/a><\/p>/;

const instance = useExampleApp();

test('the enrolment page, before a number is given, says what SMS and voice codes do not protect against', async () => {
  const agent = browser(instance.app);
  await signUp(agent, 'ivy');
  expect((await agent.get('/2fa/enrol')).text).toMatch(ENROL_NOTICE);
});

test('the challenge page says it too', async () => {
  const agent = browser(instance.app);
  await signIn(agent);
  // The library's page, with the app's security page as the place to add a passkey.
  expect((await agent.get('/2fa')).text).toMatch(CHALLENGE_NOTICE);
});
