// Log hygiene: every log line, event, console write and answer of whole flows, failures included, holds no code, full number or credential.
import type { Express } from 'express';
import type Redis from 'ioredis';
import request from 'supertest';
import type { MfaEvent } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { USERS, bandwidthOptionsFor, createTestApp, sessionCookie } from '../helpers/create-app';
import { codeFor, login, send, verify, wrongCode } from '../helpers/flow';
import { closeClient, createRedis, uniquePrefix } from '../helpers/redis';
import { deleteUnder } from '../helpers/store-keys';

const ALICE = USERS.alice?.phoneNumber as string;
const BOB = USERS.bob?.phoneNumber as string;
const CREDENTIALS = ['api-pass', 'client-secret', 'api-user:', 'client-id:'];
const ENCODED_CREDENTIALS = ['api-user:api-pass', 'client-id:client-secret'].map((pair) => Buffer.from(pair).toString('base64'));

let redis: Redis;
let emulator: BandwidthEmulator;
const prefixes: string[] = [];
const logs: string[] = [];
const events: MfaEvent[] = [];
const consoleLines: string[] = [];
const answers: string[] = [];
/** Every code that went out or was typed in. */
const codes = new Set<string>();

beforeAll(async () => {
  redis = createRedis();
  emulator = await startBandwidthEmulator();
  for (const method of ['log', 'info', 'warn', 'error', 'debug'] as const) {
    jest.spyOn(console, method).mockImplementation((...args: unknown[]) => void consoleLines.push(args.map(String).join(' ')));
  }
});
afterAll(async () => {
  jest.restoreAllMocks();
  for (const prefix of prefixes) await deleteUnder(redis, prefix);
  await emulator.close();
  await closeClient(redis);
});

function appWith(bandwidth: object = {}): Express {
  const prefix = uniquePrefix('logs');
  prefixes.push(prefix);
  const app = createTestApp({
    redis,
    prefix,
    emulator,
    logs,
    events,
    mfa: { bandwidth: { ...bandwidthOptionsFor(emulator), timeoutMs: 300, ...bandwidth }, resendCooldownSeconds: 1 },
  });
  // Express prints unhandled errors with their stack outside the test environment: let it, to catch those too.
  app.set('env', 'development');
  return app;
}

/** Records an answer's body and headers, then hands it back. */
async function seen(pending: request.Test | Promise<request.Response>): Promise<request.Response> {
  const res = await pending;
  answers.push(res.text ?? '', JSON.stringify(res.headers));
  return res;
}

async function typed(app: Express, cookie: string, code: string): Promise<request.Response> {
  codes.add(code);
  return seen(verify(app, cookie, code));
}

const pause = () => new Promise((r) => setTimeout(r, 1100));

/** Digits that a separator would split: `+1 (202) 555-0101` reads as `+12025550101`. */
function joinDigits(text: string): string {
  return text.replace(/(?<=\d)[\s().-]+(?=\d)/g, '');
}

describe('log hygiene', () => {
  test('a whole flow with successes, wrong codes and provider failures leaks nothing', async () => {
    // OAuth client credentials: success, wrong codes, a lockout by Bandwidth.
    const app = appWith();
    const alice = await login(app, 'alice');
    await seen(request(app).get('/admin').set('Accept', 'text/html').set('Cookie', alice));
    await seen(send(app, alice));
    await typed(app, alice, wrongCode(codeFor(emulator)));
    const verified = await typed(app, alice, codeFor(emulator));
    await seen(request(app).get('/2fa/state').set('Cookie', sessionCookie(verified.headers)));

    const bob = await login(app, 'bob');
    await seen(send(app, bob, { channel: 'voice' }));
    const bobCode = codeFor(emulator, 'bob');
    // Provider answers that quote the number and the code back.
    emulator.injectFault({
      endpoint: 'verify',
      status: 400,
      body: { error: `Code ${bobCode} for ${BOB} (or 1-202-555-0102) is invalid`, requestId: 'r-400' },
      times: 1,
    });
    await typed(app, bob, bobCode);
    emulator.injectFault({
      endpoint: 'verify',
      status: 500,
      body: { error: `Internal error verifying ${BOB}`, requestId: 'r-500' },
      times: 1,
    });
    await typed(app, bob, wrongCode(bobCode));
    emulator.injectFault({ endpoint: 'verify', hang: true, times: 1 });
    await typed(app, bob, bobCode);
    emulator.injectFault({ endpoint: 'verify', status: 403, times: 1 });
    await typed(app, bob, bobCode);
    emulator.injectFault({
      endpoint: 'verify',
      status: 429,
      body: { error: `Number ${BOB} exceeded attempts, please wait 2 minutes`, requestId: 'r-429' },
      times: 1,
    });
    await typed(app, bob, bobCode);
    await seen(send(app, bob));

    // The token endpoint refusing, in OAuth's own error shape.
    const refused = appWith();
    emulator.injectFault({
      endpoint: 'token',
      status: 401,
      body: { error: 'invalid_client', error_description: 'client authentication failed' },
      times: 1,
    });
    await pause();
    await seen(send(refused, await login(refused, 'alice')));

    // Legacy API-user credentials: a send refused, then a full success.
    const legacy = appWith({ oauth: undefined, basic: { username: 'api-user', password: 'api-pass' } });
    const carol = await login(legacy, 'alice');
    emulator.injectFault({ endpoint: 'messaging', status: 401, times: 1 });
    await seen(send(legacy, carol));
    await seen(send(legacy, carol));
    await typed(legacy, carol, codeFor(emulator));

    for (const sent of emulator.sent) codes.add(sent.code);
    expect(emulator.sent.length).toBeGreaterThanOrEqual(3);
    expect(logs.length).toBeGreaterThan(3);
    expect(events.map((e) => e.type)).toEqual(
      expect.arrayContaining(['code_sent', 'code_rejected', 'code_verified', 'provider_error', 'locked_out']),
    );

    const texts: Array<[string, string]> = [
      ...logs.map((line) => ['log', line] as [string, string]),
      ...events.map((event) => ['event', JSON.stringify(event)] as [string, string]),
      ...consoleLines.map((line) => ['console', line] as [string, string]),
      ...answers.map((text) => ['answer', text] as [string, string]),
    ];
    for (const [where, text] of texts) {
      const joined = joinDigits(text);
      for (const number of [ALICE, BOB]) {
        if (joined.includes(number.slice(2))) throw new Error(`a full number in a ${where}: ${text}`);
      }
      for (const code of codes) {
        if (text.includes(code)) throw new Error(`a code in a ${where}: ${text}`);
      }
      for (const secret of [...CREDENTIALS, ...ENCODED_CREDENTIALS, 'Bearer ']) {
        if (text.includes(secret)) throw new Error(`a credential in a ${where}: ${text}`);
      }
    }
    // The masked form is what stands in for the number.
    expect(events.some((e) => e.maskedPhoneNumber === '+1******0102')).toBe(true);
  });
});
