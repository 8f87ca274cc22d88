// GET /metrics: the library's counters in Prometheus text, for operators only (a bearer token, or this machine without one).
import request from 'supertest';
import { startExampleApp, type ExampleApp } from './helpers/example-app';
import { browser } from './helpers/form-browser';
import { signInWithCode } from './helpers/sign-in-steps';

const TOKEN = 'metrics-token-of-the-example-app-tests-0123456789';

let instance: ExampleApp | undefined;
afterEach(async () => {
  await instance?.close();
  instance = undefined;
});

/** The value of one Prometheus sample, by its name and labels as printed. */
function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const printed = Object.fromEntries([...(match[2] as string).matchAll(/(\w+)="([^"]*)"/g)].map((pair) => [pair[1], pair[2]]));
    if (Object.entries(labels).every(([key, value]) => printed[key] === value)) return Number(match[3]);
  }
  return undefined;
}

describe('with METRICS_TOKEN', () => {
  test('an anonymous client or a wrong token gets 401; the operator gets the counters of a real sign-in', async () => {
    instance = await startExampleApp({ METRICS_TOKEN: TOKEN });
    const agent = browser(instance.app);
    expect((await signInWithCode(agent, instance.emulator)).status).toBe(303);
    expect((await agent.get('/admin')).status).toBe(200);

    const anonymous = await request(instance.app).get('/metrics');
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers['www-authenticate']).toBe('Bearer realm="metrics"');
    expect(anonymous.body).toEqual({
      error: 'unauthorized',
      message: 'Metrics are for operators: send Authorization: Bearer <METRICS_TOKEN>.',
    });
    expect(anonymous.text).not.toContain('mfa_');
    expect((await request(instance.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`)).status).toBe(401);
    expect((await request(instance.app).get('/metrics').set('Authorization', TOKEN)).status).toBe(401);

    const operator = await request(instance.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(operator.status).toBe(200);
    expect(operator.headers['content-type']).toMatch(/^text\/plain/);
    expect(operator.headers['cache-control']).toBe('no-store');
    const sent = { mfa_channel: 'sms', otel_scope_name: 'express-bandwidth-mfa' };
    expect(sample(operator.text, 'mfa_codes_sent_total', sent)).toBe(1);
    expect(sample(operator.text, 'mfa_codes_verified_total', sent)).toBe(1);
    expect(sample(operator.text, 'mfa_provider_duration_count', { mfa_operation: 'send_sms', mfa_outcome: 'sent' })).toBe(1);
    expect(sample(operator.text, 'mfa_provider_duration_count', { mfa_operation: 'verify', mfa_outcome: 'valid' })).toBe(1);
    // Nothing of the user in the labels (the values are left out: a duration's digits may spell 0100).
    const labels = operator.text.replace(/\s\S+$/gm, '');
    expect(labels).toContain('mfa_channel="sms"');
    expect(labels).not.toMatch(/demo|\+1\d{10}|0100/);
  });

  test('a refusal is counted by its error code', async () => {
    instance = await startExampleApp({ METRICS_TOKEN: TOKEN });
    const api = request.agent(instance.app).set('Accept', 'application/json');
    expect((await api.post('/2fa/verify').send({ code: '123456' })).status).toBe(401);
    const text = (await request(instance.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).text;
    expect(sample(text, 'mfa_refusals_total', { mfa_reason: 'authentication_required' })).toBe(1);
  });
});

describe('without METRICS_TOKEN', () => {
  test('a client on this machine talking to the app directly is served; one relayed by a proxy is refused', async () => {
    instance = await startExampleApp({ TRUST_PROXY: 'loopback' });
    const direct = await request(instance.app).get('/metrics');
    expect(direct.status).toBe(200);
    expect(direct.text).toContain('# TYPE target_info gauge');

    const relayed = await request(instance.app).get('/metrics').set('X-Forwarded-For', '127.0.0.1');
    expect(relayed.status).toBe(403);
    expect(relayed.body).toEqual({
      error: 'forbidden',
      message: 'Metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere.',
    });
    expect((await request(instance.app).get('/metrics').set('Forwarded', 'for=127.0.0.1')).status).toBe(403);
  });
});
