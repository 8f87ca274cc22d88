// One destination number gets at most `maxSendsPerNumberPerHour` codes, whichever accounts, channels and instances ask.
import type { Express, Request } from 'express';
import request from 'supertest';
import { createMfa, memoryStore } from '../../src';
import { bandwidthOptionsFor, sessionCookie } from '../helpers/create-app';
import { JSON_HEADERS, login, send, verify } from '../helpers/flow';
import { useTestBed } from '../helpers/test-bed';

const bed = useTestBed('number-cap', { lifecycle: true });
const SHARED = '+12015550177';

/** Three accounts (alice, bob, carol) that all put one number on record. */
function sharedNumberApp(mfa = {}): Express {
  return bed.appWith({
    getUser: (req: Request) => {
      const name = (req.session as { username?: string }).username;
      return name ? { id: `user-${name}`, phoneNumber: SHARED } : null;
    },
    ...mfa,
  });
}

const lastCode = () => bed.emulator.lastCode(SHARED) as string;

describe('codes to one number', () => {
  test('three accounts asking for 9 login codes within a minute get at most the cap of 5, across two instances', async () => {
    const apps = [sharedNumberApp(), sharedNumberApp()];
    const results: number[] = [];
    for (const [i, name] of ['alice', 'bob', 'carol'].entries()) {
      const app = apps[i % 2] as Express;
      let cookie = await login(app, name);
      for (let round = 0; round < 3; round += 1) {
        const res = await send(app, cookie, { channel: round === 1 ? 'voice' : 'sms' });
        results.push(res.status);
        if (res.status !== 200) {
          expect(res.body.error).toBe('send_limit_reached');
          expect(Number(res.headers['retry-after'])).toBeGreaterThan(3000);
          continue;
        }
        // A right code ends the user's cooldown, so only the number's cap stands between the sends.
        const verified = await verify(app, cookie, lastCode());
        expect(verified.status).toBe(200);
        cookie = sessionCookie(verified.headers);
      }
    }
    expect(results.filter((status) => status === 200)).toHaveLength(5);
    expect(bed.emulator.sent.filter((s) => s.to === SHARED)).toHaveLength(5);
  });

  test('enrolment and login sends count against the same cap', async () => {
    const app = bed.appWith({ maxSendsPerNumberPerHour: 2 });
    const carol = await login(app, 'carol');
    expect(
      (await request(app).post('/2fa/enrol/send').set(JSON_HEADERS).set('Cookie', carol).send({ phoneNumber: '+12025550101' })).status,
    ).toBe(200);
    // alice has that very number on record.
    const alice = await login(app, 'alice');
    expect((await send(app, alice)).status).toBe(200);
    // Her right code ends her cooldown: what refuses the next send is the number's cap.
    const verified = await verify(app, alice, bed.emulator.lastCode('+12025550101'));
    const refused = await send(app, sessionCookie(verified.headers), { channel: 'voice' });
    expect(refused.status).toBe(429);
    expect(refused.body.error).toBe('send_limit_reached');
    expect(bed.emulator.sent.filter((s) => s.to === '+12025550101')).toHaveLength(2);
  });

  test("a send the number's cap refuses gives the user back their cooldown", async () => {
    const app = sharedNumberApp({ maxSendsPerNumberPerHour: 1 });
    expect((await send(app, await login(app, 'alice'))).status).toBe(200);
    const bob = await login(app, 'bob');
    expect((await send(app, bob)).body.error).toBe('send_limit_reached');
    // Not resend_cooldown: the refusal left bob's own limits untouched.
    expect((await send(app, bob)).body.error).toBe('send_limit_reached');
  });
});

describe('the option', () => {
  const base = () => ({ bandwidth: bandwidthOptionsFor(bed.emulator), getUser: () => null, store: memoryStore() });
  test('the enrolment one is gone, with a start-up error naming the new one', () => {
    expect(() => createMfa({ ...base(), enrolment: { savePhoneNumber: () => undefined, maxSendsPerNumberPerHour: 3 } as never })).toThrow(
      /`enrolment.maxSendsPerNumberPerHour` is gone: use the top-level `maxSendsPerNumberPerHour`/,
    );
  });
  test.each([0, 101, 2.5, '5'])('maxSendsPerNumberPerHour %p fails at start-up', (value) => {
    expect(() => createMfa({ ...base(), maxSendsPerNumberPerHour: value as never })).toThrow(
      /`maxSendsPerNumberPerHour` must be a whole number from 1 to 100/,
    );
  });
});
