// Meaningful notice on the built-in page: what phone codes leave open, where the stronger factor is, and the action a code approves.
import request from 'supertest';
import type { Express, Request } from 'express';
import * as mfa from '../../src';
import { login, send } from '../helpers/flow';
import { usePageBed } from './page-app';
import { byId, markupProblems, textOf } from './markup';

const bed = usePageBed('page-notice');

async function rendered(app: Express, cookie: string, language = 'en'): Promise<string> {
  const res = await request(app).get('/2fa').set('Accept', 'text/html').set('Accept-Language', language).set('Cookie', cookie);
  expect(res.status).toBe(200);
  expect(markupProblems(res.text)).toEqual([]);
  return res.text;
}

test('the page says what SMS and voice codes do not protect against, in English and French', async () => {
  const app = bed.app();
  const cookie = await login(app);
  expect(textOf(await rendered(app, cookie), 'mfa-risk')).toBe(
    'Codes sent to your phone do not protect you against a SIM swap, your number being ported away, or someone intercepting the message or call.',
  );
  expect(textOf(await rendered(app, cookie, 'fr'), 'mfa-risk')).toMatch(
    /^Les codes envoyés à votre téléphone ne vous protègent pas contre un échange de carte SIM/,
  );
});

test('with accountPath, the notice links to where a stronger factor is added', async () => {
  const app = bed.app({ page: { accountPath: '/account/security' } });
  const cookie = await login(app);
  const html = await rendered(app, cookie);
  expect(html).toMatch(
    /<p class="mfa-hint" id="mfa-risk">[^<]+ <a href="\/account\/security">A passkey is stronger: add one in your account settings\.<\/a><\/p>/,
  );
  expect(() => mfa.challengePage({ accountPath: 'https://elsewhere.example' })).toThrow(/challengePage\.accountPath.*path on this site/);
});

test('a step-up code bound to an action shows the action it approves', async () => {
  const app = bed.app();
  app.post(
    '/pay',
    mfa.requireSecondFactor({
      scope: 'pay',
      singleUse: true,
      action: (req: Request) => `Transfer ${String((req.body as { amount?: unknown }).amount)} USD to J. Doe`,
    }),
    (_req, res) => void res.json({ paid: true }),
  );
  const cookie = await login(app);
  expect(byId(await rendered(app, cookie), 'mfa-action')).toBeUndefined();
  await request(app).post('/pay').set('Accept', 'application/json').set('Cookie', cookie).send({ amount: '12.50' });
  expect(textOf(await rendered(app, cookie), 'mfa-action')).toBe('You are approving: Transfer 12.50 USD to J. Doe');
  await send(app, cookie, { channel: 'sms', scope: 'pay' });
  expect(textOf(await rendered(app, cookie, 'fr'), 'mfa-action')).toBe('Vous approuvez : Transfer 12.50 USD to J. Doe');
});
