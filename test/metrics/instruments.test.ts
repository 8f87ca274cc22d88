// OpenTelemetry metrics of a real flow against the emulator: what is counted, with which attributes, and that recording never breaks a request.
import request from 'supertest';
import type { MfaEvent, MfaOptions } from '../../src';
import { createMfa } from '../../src';
import { useTestBed } from '../helpers/test-bed';
import { createTestApp } from '../helpers/create-app';
import { codeFor, JSON_HEADERS, login, send, verify, wrongCode } from '../helpers/flow';
import { memoryStore } from '../../src';
import { readableMeterProvider, type ReadableMeterProvider } from '../helpers/metric-reader';

const bed = useTestBed('metrics');
let meters: ReadableMeterProvider;
beforeEach(() => {
  meters = readableMeterProvider();
});
afterEach(() => meters.shutdown());

/** What the metrics should say of a code event: its channel, and its destination country or `unknown`. */
function destinationOf(event: MfaEvent | undefined): Record<string, string> {
  const country = (event as { country?: string } | undefined)?.country;
  return { 'mfa.channel': event?.channel ?? 'missing', 'mfa.country': country ?? 'unknown' };
}

describe('metrics of a sign-in', () => {
  test('a send, a wrong code and the right code: sent, refused, verified and three timed provider calls', async () => {
    const app = bed.appWith({ metrics: meters.provider });
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(400);
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);

    const sent = destinationOf(bed.events.find((event) => event.type === 'code_sent'));
    expect(await meters.total('mfa.codes.sent', sent)).toBe(1);
    expect(await meters.total('mfa.codes.verified', destinationOf(bed.events.find((event) => event.type === 'code_verified')))).toBe(1);
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'invalid_code' })).toBe(1);
    expect(await meters.total('mfa.refusals')).toBe(1);
    expect(await meters.total('mfa.provider.duration', { 'mfa.operation': 'send_sms', 'mfa.outcome': 'sent' })).toBe(1);
    expect(await meters.total('mfa.provider.duration', { 'mfa.operation': 'verify', 'mfa.outcome': 'invalid' })).toBe(1);
    expect(await meters.total('mfa.provider.duration', { 'mfa.operation': 'verify', 'mfa.outcome': 'valid' })).toBe(1);

    const units = Object.fromEntries((await meters.points()).map((point) => [point.name, point.unit]));
    expect(units).toEqual({
      'mfa.codes.sent': '{code}',
      'mfa.codes.verified': '{code}',
      'mfa.refusals': '{refusal}',
      'mfa.provider.duration': 's',
    });
  });

  test('a voice code is counted on its channel', async () => {
    const app = bed.appWith({ metrics: meters.provider });
    expect((await send(app, await login(app), { channel: 'voice' })).status).toBe(200);
    expect(await meters.total('mfa.codes.sent', { 'mfa.channel': 'voice' })).toBe(1);
    expect(await meters.total('mfa.provider.duration', { 'mfa.operation': 'send_voice', 'mfa.outcome': 'sent' })).toBe(1);
  });

  test('a lockout is counted by reason, and each refusal by the error code answered', async () => {
    const app = bed.appWith({ metrics: meters.provider, maxAttempts: 2 });
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    expect((await send(app, cookie)).body.error).toBe('resend_cooldown');
    const wrong = wrongCode(codeFor(bed.emulator));
    expect((await verify(app, cookie, wrong)).body.error).toBe('invalid_code');
    expect((await verify(app, cookie, wrong)).body.error).toBe('locked_out');
    expect((await verify(app, cookie, wrong)).body.error).toBe('locked_out');
    expect((await verify(app, cookie, '12')).body.error).toBe('invalid_request');

    expect(await meters.total('mfa.lockouts', { 'mfa.reason': 'attempts_exhausted' })).toBe(1);
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'resend_cooldown' })).toBe(1);
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'invalid_code' })).toBe(1);
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'locked_out' })).toBe(2);
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'invalid_request' })).toBe(1);
    expect(await meters.total('mfa.codes.verified')).toBe(0);
  });

  test('a failed provider call is timed with its outcome and error.type, and counts no code sent', async () => {
    const app = bed.appWith({ metrics: meters.provider });
    bed.emulator.injectFault({ endpoint: 'messaging', status: 400, times: 1 });
    expect((await send(app, await login(app))).status).toBeGreaterThanOrEqual(400);
    expect(
      await meters.total('mfa.provider.duration', { 'mfa.operation': 'send_sms', 'mfa.outcome': 'error', 'error.type': 'bad_request' }),
    ).toBe(1);
    expect(await meters.total('mfa.codes.sent')).toBe(0);
  });

  test('sendRateLimit refusals are counted like the core ones', async () => {
    const app = createTestApp({
      redis: bed.redis,
      prefix: bed.prefix,
      emulator: bed.emulator,
      mfa: { metrics: meters.provider },
      beforeSend: (instance) => [instance.sendRateLimit({ limit: 1 })],
    });
    const anonymous = () => request(app).post('/2fa/send').set(JSON_HEADERS).send({ channel: 'sms' });
    expect((await anonymous()).body.error).toBe('authentication_required');
    expect((await anonymous()).body.error).toBe('send_limit_reached');
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'authentication_required' })).toBe(1);
    expect(await meters.total('mfa.refusals', { 'mfa.reason': 'send_limit_reached' })).toBe(1);
  });

  test('a Meter given directly works as a MeterProvider does', async () => {
    const app = bed.appWith({ metrics: meters.provider.getMeter('the-apps-own') });
    expect((await send(app, await login(app))).status).toBe(200);
    expect(await meters.total('mfa.codes.sent')).toBe(1);
  });

  test('`metrics: false` records nothing', async () => {
    const app = bed.appWith({ metrics: false });
    expect((await send(app, await login(app))).status).toBe(200);
    expect(await meters.points()).toEqual([]);
  });
});

describe('recording never breaks a request', () => {
  test('instruments that throw: the flow goes on, one log line a minute, no detail of the user', async () => {
    const throwing = () => {
      throw new RangeError('the meter of the app is broken');
    };
    const meter = { createCounter: () => ({ add: throwing }), createHistogram: () => ({ record: throwing }) };
    const app = bed.appWith({ metrics: meter });
    const cookie = await login(app);
    expect((await send(app, cookie)).status).toBe(200);
    expect((await verify(app, cookie, wrongCode(codeFor(bed.emulator)))).status).toBe(400);
    expect((await verify(app, cookie, codeFor(bed.emulator))).status).toBe(200);
    const lines = bed.logs.filter((line) => line.includes('metric'));
    expect(lines).toEqual(['express-bandwidth-mfa: recording a metric failed (RangeError); it was dropped.']);
  });
});

describe('the metrics option', () => {
  const base = (): MfaOptions => ({
    bandwidth: { sendCode: async () => ({ id: 'x' }), verifyCode: async () => true },
    getUser: () => null,
    store: memoryStore(),
  });

  test.each([
    ['a string', 'yes'],
    ['a number', 1],
    ['an object that is neither', {}],
    ['a Meter missing createHistogram', { createCounter: () => ({ add: () => undefined }) }],
  ])('%s is refused at start-up with what to pass', (_label, metrics) => {
    expect(() => createMfa({ ...base(), metrics: metrics as MfaOptions['metrics'] })).toThrow(
      /`metrics` must be true \(the global MeterProvider of @opentelemetry\/api, the default\), false \(no metrics\), a MeterProvider or a Meter; got/,
    );
  });

  test('a MeterProvider whose getMeter answers no Meter is refused', () => {
    expect(() => createMfa({ ...base(), metrics: { getMeter: () => ({}) } as unknown as MfaOptions['metrics'] })).toThrow(
      /`metrics.getMeter\(\)` must return an OpenTelemetry Meter/,
    );
  });

  test('a misspelled name is caught', () => {
    expect(() => createMfa({ ...base(), metric: true } as unknown as MfaOptions)).toThrow(
      /unknown option `metric`\. Did you mean `metrics`\?/,
    );
  });
});
