// Steps of the second-factor flow as a test would drive them, over real HTTP with supertest.
import request from 'supertest';
import type { Express } from 'express';
import type { BandwidthEmulator } from '../../src/testing';
import { USERS, sessionCookie } from './create-app';

export const JSON_HEADERS = { Accept: 'application/json' };

/** Signs in (password step) and returns the session cookie. */
export async function login(app: Express, username = 'alice'): Promise<string> {
  const res = await request(app).post('/login').set(JSON_HEADERS).send({ username });
  if (res.status !== 200) throw new Error(`login failed with ${res.status}`);
  return sessionCookie(res.headers);
}

export function send(app: Express, cookie: string, body: object = { channel: 'sms' }) {
  return request(app).post('/2fa/send').set(JSON_HEADERS).set('Cookie', cookie).send(body);
}

/** Enters `code`; `extra` goes into the body beside it (`rememberDevice`, a hostile value of a test). */
export function verify(app: Express, cookie: string, code: unknown, extra: object = {}) {
  return request(app)
    .post('/2fa/verify')
    .set(JSON_HEADERS)
    .set('Cookie', cookie)
    .send({ code, ...extra });
}

/** A form post as a browser sends it, wanting HTML back: the answer is a redirect. */
export function postForm(app: Express, path: string, cookie: string, fields: object) {
  return request(app).post(path).set('Cookie', cookie).set('Accept', 'text/html').type('form').send(fields);
}

/** A JSON post whose body the test writes itself (malformed, or bytes in some encoding): `.send()` it. */
export function postRawJson(app: Express, path: string, cookie: string) {
  return request(app).post(path).set(JSON_HEADERS).set('Cookie', cookie).set('Content-Type', 'application/json');
}

export function getAdmin(app: Express, cookie?: string) {
  const req = request(app).get('/admin').set(JSON_HEADERS);
  return cookie ? req.set('Cookie', cookie) : req;
}

export function codeFor(emulator: BandwidthEmulator, username = 'alice'): string {
  const code = emulator.lastCode((USERS[username] as { phoneNumber: string }).phoneNumber);
  if (!code) throw new Error('the emulator sent no code');
  return code;
}

/** A code of the right length that is not the one sent. */
export function wrongCode(right: string): string {
  return right
    .split('')
    .map((d) => String((Number(d) + 1) % 10))
    .join('');
}

/** Signs in, sends, verifies; returns the cookie of the verified session. */
export async function loginAndVerify(app: Express, emulator: BandwidthEmulator, username = 'alice'): Promise<string> {
  const cookie = await login(app, username);
  const sent = await send(app, cookie);
  if (sent.status !== 200) throw new Error(`send failed with ${sent.status}`);
  const res = await verify(app, cookie, codeFor(emulator, username));
  if (res.status !== 200) throw new Error(`verify failed with ${res.status} ${JSON.stringify(res.body)}`);
  return sessionCookie(res.headers);
}
