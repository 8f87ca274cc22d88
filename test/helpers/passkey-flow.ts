// Steps of the passkey ceremonies as a test drives them over HTTP, with a software authenticator.
import request from 'supertest';
import type { Express } from 'express';
import { JSON_HEADERS } from './flow';
import type { SoftwareAuthenticator } from './software-authenticator';

export function postJson(app: Express, path: string, cookie: string, body: unknown) {
  return request(app)
    .post(path)
    .set(JSON_HEADERS)
    .set('Cookie', cookie)
    .send(body as object);
}

export async function registerPasskey(app: Express, cookie: string, authenticator: SoftwareAuthenticator, name = 'Test laptop') {
  const options = await postJson(app, '/2fa/passkeys/register/options', cookie, {});
  if (options.status !== 200) throw new Error(`registration options failed with ${options.status} ${JSON.stringify(options.body)}`);
  return postJson(app, '/2fa/passkeys/register/verify', cookie, { response: authenticator.register(options.body), name });
}

/** The challenge of a new sign-in ceremony for this session. */
export async function passkeyChallenge(
  app: Express,
  cookie: string,
): Promise<{ challenge: string; allowCredentials: Array<{ id: string }> }> {
  const options = await postJson(app, '/2fa/passkeys/auth/options', cookie, {});
  if (options.status !== 200) throw new Error(`authentication options failed with ${options.status} ${JSON.stringify(options.body)}`);
  return options.body;
}

export function passkeyVerify(app: Express, cookie: string, response: unknown) {
  return postJson(app, '/2fa/passkeys/auth/verify', cookie, { response });
}
