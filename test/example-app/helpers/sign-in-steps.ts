// Signing in to the example app as a person would: the password, then a code from the sandbox.
import type { BandwidthEmulator } from '../../../src/testing';
import { DEMO } from './example-app';
import { submit, type Agent } from './form-browser';

export function signIn(agent: Agent, username = DEMO.username, password = DEMO.password) {
  return submit(agent, '/login', '/login', { username, password });
}

export function sendCode(agent: Agent, channel = 'sms') {
  return submit(agent, '/2fa', '/2fa/send', { channel });
}

export function enterCode(agent: Agent, code: string, extra: Record<string, string> = {}) {
  return submit(agent, '/2fa', '/2fa/verify', { code, ...extra });
}

export function lastCode(emulator: BandwidthEmulator | undefined, phone = DEMO.phone): string {
  const code = emulator?.lastCode(phone);
  if (!code) throw new Error('the sandbox sent no code');
  return code;
}

/** Signs in with the password, asks for an SMS code and enters it: the browser ends verified. */
export async function signInWithCode(agent: Agent, emulator: BandwidthEmulator | undefined, extra: Record<string, string> = {}) {
  await signIn(agent);
  await agent.get('/admin');
  await sendCode(agent);
  return enterCode(agent, lastCode(emulator), extra);
}

/** Outlasts a 1-second resend cooldown (MFA_RESEND_COOLDOWN_SECONDS=1): the cooldown is per user, across scopes. */
export function outlastCooldown(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 1100));
}
