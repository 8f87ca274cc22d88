// The Bandwidth client against the emulator over real HTTP: bodies, auth, errors, no retries, keep-alive.
import net from 'node:net';
import { createBandwidthClient, isBandwidthError, type BandwidthClient, type BandwidthError, type BandwidthOptions } from '../../src';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { bandwidthOptionsFor } from '../helpers/create-app';

const TO = '+12025550101';
let emulator: BandwidthEmulator;
const clients: BandwidthClient[] = [];

beforeAll(async () => {
  emulator = await startBandwidthEmulator({ tokenLifetimeSeconds: 1 });
});
afterAll(async () => {
  for (const client of clients) client.close();
  await emulator.close();
});
beforeEach(() => emulator.reset());

function client(overrides: Partial<BandwidthOptions> = {}): BandwidthClient {
  const made = createBandwidthClient({ ...bandwidthOptionsFor(emulator), timeoutMs: 1000, ...overrides });
  clients.push(made);
  return made;
}

const sms = { channel: 'sms' as const, to: TO, message: 'Your code is {CODE}', digits: 6, scope: '2FA-abc' };

async function failure(promise: Promise<unknown>): Promise<BandwidthError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isBandwidthError(error)) throw new Error(`expected a BandwidthError, got ${String(error)}`);
  return error;
}

describe('requests follow the vendor schema', () => {
  test('an SMS goes to /code/messaging with the messaging application and returns the messageId', async () => {
    const { id } = await client().sendCode(sms);
    const call = emulator.requests.find((r) => r.endpoint === 'messaging');
    expect(call?.path).toBe(`/api/v1/accounts/${emulator.accountId}/code/messaging`);
    expect(call?.body).toEqual({
      to: TO,
      from: '+19195550100',
      applicationId: 'messaging-app-id',
      scope: '2FA-abc',
      message: 'Your code is {CODE}',
      digits: 6,
    });
    expect(id).toBe(emulator.sent[0]?.id);
  });

  test('a voice code goes to /code/voice with the voice application and returns the callId', async () => {
    const { id } = await client().sendCode({ ...sms, channel: 'voice' });
    expect(emulator.sent[0]).toMatchObject({ channel: 'voice', applicationId: 'voice-app-id', id });
    expect(id).toMatch(/^c-/);
  });

  test('voice without a voice application id is refused before any HTTP', async () => {
    const error = await failure(client({ voiceApplicationId: undefined }).sendCode({ ...sms, channel: 'voice' }));
    expect(error.kind).toBe('bad_request');
    expect(emulator.requestCount()).toBe(0);
  });

  test('verify sends to, code, scope and the window, and is true only for {"valid": true}', async () => {
    const bw = client();
    await bw.sendCode(sms);
    const code = emulator.lastCode(TO) as string;
    expect(await bw.verifyCode({ to: TO, code, scope: '2FA-abc', expirationTimeInMinutes: 3 })).toBe(true);
    expect(emulator.requests.find((r) => r.endpoint === 'verify')?.body).toEqual({
      to: TO,
      code,
      scope: '2FA-abc',
      expirationTimeInMinutes: 3,
    });
    expect(
      await bw.verifyCode({ to: TO, code: code === '000000' ? '111111' : '000000', scope: '2FA-abc', expirationTimeInMinutes: 3 }),
    ).toBe(false);
  });

  test.each([
    ['{}', 'an empty object'],
    ['{"valid":"true"}', 'a string'],
    ['{"valid":1}', 'a number'],
    ['<html>ok</html>', 'HTML'],
    ['', 'nothing'],
  ])('a 200 with %s (%s) is a bad_response, never a pass', async (rawBody) => {
    emulator.injectFault({ endpoint: 'verify', status: 200, rawBody });
    const error = await failure(client().verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }));
    expect(error.kind).toBe('bad_response');
  });
});

describe('OAuth2 client credentials', () => {
  test('one token serves a burst of calls, fetched once', async () => {
    const bw = client();
    // Different numbers: Bandwidth answers 429 after a few wrong codes for one number.
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        bw.verifyCode({ to: `+1202555${1000 + i}`, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }),
      ),
    );
    expect(emulator.requestCount('token')).toBe(1);
    expect(emulator.requests.find((r) => r.endpoint === 'token')?.body).toEqual({ grant_type: 'client_credentials' });
    expect(emulator.requests.filter((r) => r.endpoint === 'verify').every((r) => r.auth === 'bearer')).toBe(true);
  });

  test('a token is renewed before it expires', async () => {
    const bw = client();
    await bw.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 });
    await new Promise((r) => setTimeout(r, 600));
    await bw.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 });
    expect(emulator.requestCount('token')).toBe(2);
  });

  test('a token the provider stopped accepting is dropped after the 403, not retried, and the next call gets a new one', async () => {
    const bw = client();
    await bw.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 });
    emulator.reset(); // forgets issued tokens
    expect((await failure(bw.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }))).kind).toBe('unauthorized');
    expect(emulator.requestCount('verify')).toBe(1);
    await expect(bw.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 })).resolves.toBe(false);
    expect(emulator.requestCount('token')).toBe(1);
  });

  test('wrong client credentials are an unauthorized token error and no MFA call', async () => {
    const error = await failure(
      client({ oauth: { clientId: 'client-id', clientSecret: 'wrong', tokenUrl: emulator.tokenUrl } }).sendCode(sms),
    );
    expect(error).toMatchObject({ kind: 'unauthorized', operation: 'token', status: 401 });
    expect(emulator.requestCount('messaging')).toBe(0);
    expect(error.message).not.toContain('wrong');
  });

  test('basic credentials still work for accounts that have them', async () => {
    await client({ oauth: undefined, basic: { username: 'api-user', password: 'api-pass' } }).sendCode(sms);
    expect(emulator.requests.find((r) => r.endpoint === 'messaging')?.auth).toBe('basic:api-user');
  });
});

describe('documented errors become typed errors', () => {
  test('400 {error, requestId}: bad_request with the message, numbers masked', async () => {
    emulator.injectFault({ endpoint: 'messaging', status: 400, body: { error: `to number ${TO} is invalid`, requestId: 'req-400' } });
    const error = await failure(client().sendCode(sms));
    expect(error).toMatchObject({ kind: 'bad_request', status: 400, requestId: 'req-400', operation: 'send_sms' });
    expect(error.providerMessage).toBe('to number +1******0101 is invalid');
    expect(error.message).not.toContain(TO);
  });

  test('401 {message} and 403 {Message} or {message}: unauthorized', async () => {
    const wrongPassword = client({ oauth: undefined, basic: { username: 'api-user', password: 'nope' } });
    expect(await failure(wrongPassword.sendCode(sms))).toMatchObject({
      kind: 'unauthorized',
      status: 403,
      providerMessage: expect.stringContaining('explicit deny'),
    });
    const basic = client({ oauth: undefined, basic: { username: 'api-user', password: 'api-pass' } });
    emulator.injectFault({ endpoint: 'verify', status: 401, times: 1 });
    expect(await failure(basic.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }))).toMatchObject({
      kind: 'unauthorized',
      status: 401,
      providerMessage: 'Unauthorized',
    });
    emulator.injectFault({ endpoint: 'verify', status: 403, body: { message: 'Missing Authentication Token' }, times: 1 });
    expect(await failure(basic.verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }))).toMatchObject({
      kind: 'unauthorized',
      providerMessage: 'Missing Authentication Token',
    });
  });

  test.each([
    [{ error: 'This number has exceeded verification attempts, please wait 2 minutes', requestId: 'r' }, {}, 120],
    [{ error: 'Too many attempts, wait 45 seconds', requestId: 'r' }, {}, 45],
    [{ error: 'Too many requests', requestId: 'r' }, { 'Retry-After': '30' }, 30],
    [{ error: 'Too many requests', requestId: 'r' }, {}, undefined],
  ])('429 %j with headers %j: rate_limited, wait %s s', async (body, headers, wait) => {
    emulator.injectFault({ endpoint: 'verify', status: 429, body, headers });
    const error = await failure(client().verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }));
    expect(error).toMatchObject({ kind: 'rate_limited', status: 429 });
    expect(error.retryAfterSeconds).toBe(wait);
  });

  test('500 {error, requestId} and a gateway HTML page: server_error', async () => {
    emulator.injectFault({ endpoint: 'messaging', status: 500, times: 1 });
    expect(await failure(client().sendCode(sms))).toMatchObject({ kind: 'server_error', status: 500, providerMessage: 'Internal Error' });
    emulator.injectFault({ endpoint: 'messaging', status: 502, rawBody: '<html>Bad Gateway</html>', times: 1 });
    expect(await failure(client().sendCode(sms))).toMatchObject({ kind: 'server_error', status: 502 });
  });
});

describe('transport failures', () => {
  test('no answer within timeoutMs is a timeout, and the send happened exactly once', async () => {
    emulator.injectFault({ endpoint: 'messaging', hang: true });
    const error = await failure(client({ timeoutMs: 200 }).sendCode(sms));
    expect(error.kind).toBe('timeout');
    expect(emulator.requestCount('messaging')).toBe(1);
    expect(emulator.sent).toHaveLength(1);
  });

  test('a reset connection is a network error and is not retried', async () => {
    emulator.injectFault({ endpoint: 'messaging', destroySocket: true });
    expect((await failure(client().sendCode(sms))).kind).toBe('network');
    await new Promise((r) => setTimeout(r, 100));
    expect(emulator.requestCount('messaging')).toBe(1);
  });

  test('a 500 on send is not retried', async () => {
    emulator.injectFault({ endpoint: 'messaging', status: 500 });
    await failure(client().sendCode(sms));
    expect(emulator.requestCount('messaging')).toBe(1);
  });

  test('a refused connection is a network error', async () => {
    const closedPort = await new Promise<number>((resolve) => {
      const server = net.createServer().listen(0, '127.0.0.1', () => {
        const { port } = server.address() as net.AddressInfo;
        server.close(() => resolve(port));
      });
    });
    const bw = client({
      baseUrl: `http://127.0.0.1:${closedPort}/api/v1`,
      oauth: undefined,
      basic: { username: 'api-user', password: 'api-pass' },
    });
    expect((await failure(bw.sendCode(sms))).kind).toBe('network');
  });

  test('an answer past 64 KiB is a bad_response with its status, not read to the end', async () => {
    emulator.injectFault({ endpoint: 'messaging', status: 200, rawBody: JSON.stringify({ messageId: 'x'.repeat(100 * 1024) }), times: 1 });
    expect(await failure(client().sendCode(sms))).toMatchObject({ kind: 'bad_response', status: 200 });
    expect(emulator.requestCount('messaging')).toBe(1);
  });

  test('a redirect is not followed: the credentials go nowhere else and the call is a bad_response', async () => {
    emulator.injectFault({
      endpoint: 'verify',
      status: 307,
      headers: { Location: `${emulator.baseUrl}/accounts/other/code/verify` },
      times: 1,
    });
    const error = await failure(client().verifyCode({ to: TO, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 }));
    expect(error).toMatchObject({ kind: 'bad_response', status: 307 });
    expect(emulator.requestCount('verify')).toBe(1);
  });

  test('sequential calls reuse kept-alive connections', async () => {
    const bw = client();
    for (let i = 0; i < 50; i += 1)
      await bw.verifyCode({ to: `+1202555${1000 + i}`, code: '123456', scope: '2FA', expirationTimeInMinutes: 1 });
    expect(emulator.connectionCount).toBeLessThanOrEqual(2);
  });
});
