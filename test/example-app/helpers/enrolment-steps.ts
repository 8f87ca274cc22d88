// Signing up to the example app and enrolling a number, as a person would; the recovery codes it then shows.
import type { BandwidthEmulator } from '../../../src/testing';
import { csrfOf, submit, type Agent } from './form-browser';
import { lastCode } from './sign-in-steps';

/** Creates an account through the sign-up form: the browser ends signed in with the password step only. */
export function signUp(agent: Agent, username: string, password = `${username}-password-1`) {
  return submit(agent, '/signup', '/signup', { username, password });
}

/** Adds `phoneNumber` through the enrolment page (SMS) and enters the code the sandbox sent: the answer of the verify. */
export async function enrolPhone(agent: Agent, emulator: BandwidthEmulator | undefined, phoneNumber: string, e164 = phoneNumber) {
  // As the browser would: with the form's hidden returnTo (set when a number is being changed).
  const page = await agent.get('/2fa/enrol');
  const returnTo = /name="returnTo" value="([^"]+)"/.exec(page.text)?.[1];
  const sent = await agent
    .post('/2fa/enrol/send')
    .type('form')
    .send({ _csrf: csrfOf(page.text), phoneNumber, channel: 'sms', ...(returnTo ? { returnTo } : {}) });
  if (sent.headers.location !== '/2fa/enrol?sent=sms')
    throw new Error(`the enrolment send answered ${sent.status} ${sent.headers.location ?? ''}`);
  return submit(agent, '/2fa/enrol', '/2fa/enrol/verify', { code: lastCode(emulator, e164) });
}

/** The recovery codes listed on a recovery-codes page. */
export function recoveryCodesOn(html: string): string[] {
  return [...html.matchAll(/<li><code>([A-Z0-9-]+)<\/code><\/li>/g)].map((match) => match[1] as string);
}
