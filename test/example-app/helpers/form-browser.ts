// A browser as supertest plays it on the example app: cookies kept, HTML asked for, forms posted with their CSRF token.
import type { Express } from 'express';
import request from 'supertest';

export type Agent = ReturnType<typeof request.agent>;

/** The hidden `_csrf` field of a page. */
export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no CSRF field on the page');
  return match[1];
}

/** A browser: keeps cookies, asks for HTML, submits forms with the token of the page it came from. */
export function browser(app: Express): Agent {
  return request.agent(app).set('Accept', 'text/html');
}

export async function submit(agent: Agent, pagePath: string, action: string, fields: Record<string, string>) {
  const page = await agent.get(pagePath);
  return agent
    .post(action)
    .type('form')
    .send({ _csrf: csrfOf(page.text), ...fields });
}

/** The `sid=...` pair a response set, to replay in another client or on another app instance. */
export function sessionCookieOf(headers: Record<string, unknown>): string {
  const sid = (headers['set-cookie'] as string[] | undefined)?.find((c) => c.startsWith('sid='));
  if (!sid) throw new Error('no session cookie in the response');
  return sid.split(';')[0] as string;
}
