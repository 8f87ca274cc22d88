// `takeTurns()` mounted before the body parsers and the session: a send or verify beyond `workConcurrency` is refused
// before its body is parsed or its session read; the turn it took there is the one its work uses, and it goes back
// however the request ends.
import type { Express } from 'express';
import request from 'supertest';
import { bandwidthOptionsFor } from '../helpers/create-app';
import { JSON_HEADERS, codeFor, login, postRawJson, send, verify } from '../helpers/flow';
import { aliceHoldsTheTurn } from '../helpers/holding-store';
import { countRoundTrips } from '../helpers/round-trips';
import { useTestBed } from '../helpers/test-bed';
import type { MfaStore } from '../../src';

const bed = useTestBed('early-turns', { takeTurns: true });

const ONE_TURN = { workConcurrency: 1, workQueueTimeoutMs: 100 };

function appWith(store?: MfaStore): Express {
  return bed.appWith({ bandwidth: bandwidthOptionsFor(bed.emulator), ...ONE_TURN, ...(store ? { store } : {}) });
}

describe('takeTurns() before the body parser and the session', () => {
  test('the turn taken there is the one the send and the verify work in: one turn serves both', async () => {
    const app = appWith();
    const alice = await login(app, 'alice');
    expect((await send(app, alice)).status).toBe(200);
    const verified = await verify(app, alice, codeFor(bed.emulator, 'alice'));
    expect(verified.status).toBe(200);
    expect(verified.body.verified).toBe(true);
  });

  test('beyond workConcurrency a send is refused with 503 before its body is parsed or its session read', async () => {
    const { held, app, bob, aliceSend } = await aliceHoldsTheTurn(appWith);
    // A malformed body: read, it would be a 400; the refusal comes first, and Redis never hears of Bob's session.
    let refused: request.Response | undefined;
    const trips = await countRoundTrips(bed.redis, bed.prefix, async () => {
      refused = await postRawJson(app, '/2fa/send', bob).send('{"channel": ');
    });
    expect(refused?.status).toBe(503);
    expect(refused?.body.error).toBe('service_unavailable');
    expect(refused?.headers['retry-after']).toBe('5');
    expect(trips.session).toBe(0);
    expect(trips.store).toBe(0);
    held.release();
    expect((await aliceSend).status).toBe(200);
    // Nothing of Bob's changed: his send goes through now, no cooldown in the way.
    expect((await send(app, bob)).status).toBe(200);
    expect(bed.emulator.sent.map((s) => s.to)).toEqual(['+12025550101', '+12025550102']);
  });

  test('a request that took its turn and never reached the route gives it back when it is answered', async () => {
    const app = appWith();
    const alice = await login(app, 'alice');
    const bad = await postRawJson(app, '/2fa/send', alice).send('{"channel": ');
    expect(bad.status).toBe(400);
    expect(bad.body.error).toBe('invalid_request');
    // With the one turn kept by the request above, these would wait and be refused with 503.
    expect((await send(app, alice)).status).toBe(200);
    expect((await verify(app, alice, codeFor(bed.emulator, 'alice'))).status).toBe(200);
  });

  test('a request that leaves while waiting for its turn is never served afterwards', async () => {
    const { held, app, bob, aliceSend } = await aliceHoldsTheTurn(appWith);
    // Bob gives up after 20 ms; his request must leave the queue with nothing sent, and the turn stays usable.
    await expect(request(app).post('/2fa/send').set(JSON_HEADERS).set('Cookie', bob).timeout(20).send({ channel: 'sms' })).rejects.toThrow(
      /timeout/i,
    );
    // The app sees the connection close on its next turn of the event loop; then Alice's turn ends.
    await new Promise((resolve) => setTimeout(resolve, 20));
    held.release();
    expect((await aliceSend).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2 * ONE_TURN.workQueueTimeoutMs));
    expect(bed.emulator.sent.map((s) => s.to)).toEqual(['+12025550101']);
    expect((await send(app, bob)).status).toBe(200);
  });
});
