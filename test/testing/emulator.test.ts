// The emulator behaves like Bandwidth's documented MFA API, byte for byte where it matters, and faults on demand.
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';

const TO = '+12025550101';
const BASIC = `Basic ${Buffer.from('api-user:api-pass').toString('base64')}`;
let emulator: BandwidthEmulator;

beforeAll(async () => {
  emulator = await startBandwidthEmulator();
});
afterAll(() => emulator.close());
beforeEach(() => emulator.reset());

const sendBody = { to: TO, from: '+19195550100', applicationId: 'messaging-app-id', message: 'Code {CODE}', digits: 6 };

async function post(path: string, body: unknown, authorization: string | null = BASIC) {
  const res = await fetch(`${emulator.baseUrl}/accounts/${emulator.accountId}${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return {
    status: res.status,
    body: (await res.json().catch(() => undefined)) as Record<string, unknown> | undefined,
    headers: res.headers,
  };
}

describe('authentication', () => {
  test('no credentials: 401 {message}', async () => {
    expect(await post('/code/messaging', sendBody, null)).toMatchObject({ status: 401, body: { message: 'Unauthorized' } });
  });

  test('a wrong password: 403 {Message}', async () => {
    const res = await post('/code/messaging', sendBody, `Basic ${Buffer.from('api-user:wrong').toString('base64')}`);
    expect(res.status).toBe(403);
    expect(res.body).toEqual({ Message: expect.stringContaining('not authorized') });
  });

  test('another account id: 403', async () => {
    const res = await fetch(`${emulator.baseUrl}/accounts/1234567/code/messaging`, {
      method: 'POST',
      headers: { Authorization: BASIC, 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody),
    });
    expect(res.status).toBe(403);
  });

  test('OAuth2: client credentials at the token URL give a bearer token the API accepts', async () => {
    const tokenRes = await fetch(emulator.tokenUrl, {
      method: 'POST',
      headers: {
        Authorization: `Basic ${Buffer.from('client-id:client-secret').toString('base64')}`,
        'Content-Type': 'application/x-www-form-urlencoded',
      },
      body: 'grant_type=client_credentials',
    });
    const token = (await tokenRes.json()) as { access_token: string; expires_in: number };
    expect(token.expires_in).toBe(3600);
    expect((await post('/code/messaging', sendBody, `Bearer ${token.access_token}`)).status).toBe(200);
    emulator.advanceTime(3601_000);
    expect((await post('/code/messaging', sendBody, `Bearer ${token.access_token}`)).status).toBe(403);
  });
});

describe('sending', () => {
  test('messaging answers {messageId}, voice {callId}, and the code is kept for the test', async () => {
    const sms = await post('/code/messaging', sendBody);
    expect(sms).toMatchObject({ status: 200, body: { messageId: expect.any(String) } });
    const voice = await post('/code/voice', { ...sendBody, applicationId: 'voice-app-id' });
    expect(voice).toMatchObject({ status: 200, body: { callId: expect.any(String) } });
    expect(emulator.sent.map((s) => s.channel)).toEqual(['sms', 'voice']);
    expect(emulator.lastCode(TO)).toMatch(/^\d{6}$/);
    expect(emulator.sent[0]?.text).toBe(`Code ${emulator.sent[0]?.code}`);
    expect(emulator.sent[0]?.scope).toBe('2FA');
  });

  test.each([
    [{ to: '' }, 'to number is required'],
    [{ to: '2025550101' }, 'to number'],
    [{ from: '+1'.padEnd(34, '1') }, 'from'],
    [{ applicationId: 'x'.repeat(51) }, 'applicationId'],
    [{ applicationId: 'voice-app-id' }, 'applicationId'],
    [{ scope: 's'.repeat(26) }, 'scope'],
    [{ message: 'no placeholder' }, '{CODE}'],
    [{ message: `{CODE}${'x'.repeat(2043)}` }, 'message'],
    [{ digits: 3 }, 'digits'],
    [{ digits: 9 }, 'digits'],
    [{ digits: '6' }, 'digits'],
  ])('%j is a 400 {error, requestId} mentioning %s', async (change, words) => {
    const res = await post('/code/messaging', { ...sendBody, ...change });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({ error: expect.stringContaining(words), requestId: expect.any(String) });
    expect(emulator.sent).toHaveLength(0);
  });

  test('a body that is not JSON is a 400 in the same shape', async () => {
    expect(await post('/code/messaging', '{"to":')).toMatchObject({
      status: 400,
      body: { error: expect.any(String), requestId: expect.any(String) },
    });
  });
});

describe('verifying, as Bandwidth does it', () => {
  test('a wrong code is 200 {"valid": false}; the right one is valid as often as asked within the window', async () => {
    await post('/code/messaging', sendBody);
    const code = emulator.lastCode(TO) as string;
    const verify = (c: string) => post('/code/verify', { to: TO, code: c, expirationTimeInMinutes: 3 });
    expect(await verify(code === '000000' ? '111111' : '000000')).toMatchObject({ status: 200, body: { valid: false } });
    expect((await verify(code)).body).toEqual({ valid: true });
    expect((await verify(code)).body).toEqual({ valid: true });
  });

  test('codes are partitioned by scope', async () => {
    await post('/code/messaging', { ...sendBody, scope: 'login' });
    const code = emulator.lastCode(TO, 'login') as string;
    expect((await post('/code/verify', { to: TO, code, scope: 'transfer', expirationTimeInMinutes: 3 })).body).toEqual({ valid: false });
    expect((await post('/code/verify', { to: TO, code, scope: 'login', expirationTimeInMinutes: 3 })).body).toEqual({ valid: true });
  });

  test('a code older than expirationTimeInMinutes is not valid', async () => {
    await post('/code/messaging', sendBody);
    const code = emulator.lastCode(TO) as string;
    emulator.advanceTime(2 * 60_000 + 1000);
    expect((await post('/code/verify', { to: TO, code, expirationTimeInMinutes: 2 })).body).toEqual({ valid: false });
    expect((await post('/code/verify', { to: TO, code, expirationTimeInMinutes: 3 })).body).toEqual({ valid: true });
  });

  test('five wrong codes for a number: 429 with the wait in prose, and it clears', async () => {
    for (let i = 0; i < 5; i += 1) await post('/code/verify', { to: TO, code: '0000', expirationTimeInMinutes: 1 });
    const limited = await post('/code/verify', { to: TO, code: '0000', expirationTimeInMinutes: 1 });
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: expect.stringContaining('please wait 2 minutes'), requestId: expect.any(String) });
    expect(limited.headers.get('retry-after')).toBeNull();
    emulator.advanceTime(120_001);
    expect((await post('/code/verify', { to: TO, code: '0000', expirationTimeInMinutes: 1 })).status).toBe(200);
  });

  test.each([
    [{ code: 123456 }],
    [{ code: '123' }],
    [{ code: '123456789' }],
    [{ expirationTimeInMinutes: 0 }],
    [{ expirationTimeInMinutes: 16 }],
    [{ to: undefined }],
  ])('%j is a 400', async (change) => {
    expect((await post('/code/verify', { to: TO, code: '123456', expirationTimeInMinutes: 3, ...change })).status).toBe(400);
  });
});

describe('fault injection', () => {
  test('a status without a body answers with the documented body for it, `times` times', async () => {
    emulator.injectFault({ endpoint: 'verify', status: 500, times: 1 });
    expect(await post('/code/verify', { to: TO, code: '1234', expirationTimeInMinutes: 1 })).toMatchObject({
      status: 500,
      body: { error: 'Internal Error', requestId: expect.any(String) },
    });
    expect((await post('/code/verify', { to: TO, code: '1234', expirationTimeInMinutes: 1 })).status).toBe(200);
  });

  test('faults apply to their endpoint only, with the headers and raw bytes asked for', async () => {
    emulator.injectFault({ endpoint: 'messaging', status: 429, rawBody: 'slow down', headers: { 'Retry-After': '7' } });
    expect((await post('/code/verify', { to: TO, code: '1234', expirationTimeInMinutes: 1 })).status).toBe(200);
    const res = await post('/code/messaging', sendBody);
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('7');
    emulator.clearFaults();
    expect((await post('/code/messaging', sendBody)).status).toBe(200);
  });

  test('a delay delays; a send that hangs still sends the code', async () => {
    emulator.injectFault({ endpoint: 'verify', delayMs: 150, times: 1 });
    const started = Date.now();
    await post('/code/verify', { to: TO, code: '1234', expirationTimeInMinutes: 1 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    emulator.injectFault({ endpoint: 'messaging', hang: true, times: 1 });
    const hanging = fetch(`${emulator.baseUrl}/accounts/${emulator.accountId}/code/messaging`, {
      method: 'POST',
      headers: { Authorization: BASIC, 'Content-Type': 'application/json' },
      body: JSON.stringify(sendBody),
      signal: AbortSignal.timeout(200),
    });
    await expect(hanging).rejects.toThrow();
    expect(emulator.sent).toHaveLength(1);
  });

  test('requests are recorded without secrets', async () => {
    await post('/code/messaging', sendBody);
    expect(emulator.requests[0]).toMatchObject({ endpoint: 'messaging', method: 'POST', auth: 'basic:api-user', body: sendBody });
    expect(JSON.stringify(emulator.requests)).not.toContain('api-pass');
    expect(emulator.requestCount('messaging')).toBe(1);
    expect(emulator.requestCount('verify')).toBe(0);
  });
});
