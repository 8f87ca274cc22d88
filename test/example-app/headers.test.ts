// Security headers on every answer, and the session cookie's flags in development and production.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import request from 'supertest';
import { startBandwidthEmulator, type BandwidthEmulator } from '../../src/testing';
import { startExampleApp, type ExampleApp } from './helpers/example-app';

let instance: ExampleApp | undefined;
let emulator: BandwidthEmulator | undefined;
let usersDir: string;
beforeAll(() => {
  usersDir = fs.mkdtempSync(path.join(os.tmpdir(), 'example-users-'));
  fs.writeFileSync(
    path.join(usersDir, 'users.json'),
    JSON.stringify([{ username: 'erin', password: 'erin-password-1', phone: '+12015550124' }]),
  );
});
afterAll(() => fs.rmSync(usersDir, { recursive: true, force: true }));
afterEach(async () => {
  await instance?.close();
  await emulator?.close();
  instance = undefined;
  emulator = undefined;
});

/** A production environment pointed at the emulator as if it were Bandwidth (production refuses the sandbox). */
function productionEnv(bandwidth: BandwidthEmulator, extra: Record<string, string> = {}) {
  return {
    NODE_ENV: 'production',
    SESSION_SECRET: 'a-long-random-secret-for-the-production-test-0123456789',
    MFA_RECOVERY_CODE_SECRET: 'a-long-random-recovery-code-secret-for-the-test-0123',
    BANDWIDTH_ACCOUNT_ID: bandwidth.accountId,
    BANDWIDTH_CLIENT_ID: 'client-id',
    BANDWIDTH_CLIENT_SECRET: 'client-secret',
    BANDWIDTH_TOKEN_URL: bandwidth.tokenUrl,
    BANDWIDTH_MFA_BASE_URL: bandwidth.baseUrl,
    BANDWIDTH_MESSAGING_APPLICATION_ID: 'messaging-app-id',
    BANDWIDTH_FROM_NUMBER: '+12025550199',
    EXAMPLE_USERS_FILE: path.join(usersDir, 'users.json'),
    ...extra,
  };
}

describe('example app headers and cookies', () => {
  test('pages, static files and errors carry the security headers; no X-Powered-By', async () => {
    instance = await startExampleApp();
    for (const path of ['/login', '/static/style.css', '/2fa?asset=challenge.js', '/nowhere']) {
      const res = await request(instance.app).get(path);
      expect(res.headers['content-security-policy']).toContain("script-src 'self'");
      expect(res.headers['content-security-policy']).toContain("frame-ancestors 'none'");
      expect(res.headers['content-security-policy']).not.toContain('unsafe-inline');
      expect(res.headers['x-frame-options']).toBe('DENY');
      expect(res.headers['x-content-type-options']).toBe('nosniff');
      expect(res.headers['referrer-policy']).toBe('no-referrer');
      expect(res.headers['x-powered-by']).toBeUndefined();
    }
    expect((await request(instance.app).get('/nowhere')).status).toBe(404);
  });

  test('pages hold no inline script or style', async () => {
    instance = await startExampleApp();
    const page = (await request(instance.app).get('/login')).text;
    expect(page).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(page).not.toMatch(/\sstyle=|<style/);
    expect(page).not.toMatch(/\son[a-z]+=/);
  });

  test('in development the CSRF and session cookies are HttpOnly and SameSite=Lax, without Secure (plain http)', async () => {
    instance = await startExampleApp();
    const csrf = (await request(instance.app).get('/login')).headers['set-cookie'] as unknown as string[];
    const login = await request(instance.app)
      .post('/login')
      .set('Accept', 'application/json')
      .send({ username: 'demo', password: 'demo-password' });
    const sid = login.headers['set-cookie'] as unknown as string[];
    expect(csrf[0]).toMatch(/^csrf=/);
    expect(sid[0]).toMatch(/^sid=/);
    for (const cookie of [csrf[0], sid[0]]) {
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; SameSite=Lax/);
      expect(cookie).not.toMatch(/; Secure/);
    }
  });

  test('in production the cookies are Secure and __Host- prefixed behind a trusted HTTPS proxy, and HSTS is sent', async () => {
    emulator = await startBandwidthEmulator();
    instance = await startExampleApp(productionEnv(emulator, { TRUST_PROXY: '1' }));
    const res = await request(instance.app).get('/login').set('X-Forwarded-Proto', 'https');
    const login = await request(instance.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Accept', 'application/json')
      .send({ username: 'erin', password: 'erin-password-1' });
    const csrf = (res.headers['set-cookie'] as unknown as string[])[0];
    const sid = (login.headers['set-cookie'] as unknown as string[])[0];
    expect(csrf).toMatch(/^__Host-csrf=/);
    expect(sid).toMatch(/^__Host-sid=/);
    for (const cookie of [csrf, sid]) {
      expect(cookie).toMatch(/; Secure/);
      expect(cookie).toMatch(/; HttpOnly/);
      expect(cookie).toMatch(/; Path=\//);
      expect(cookie).not.toMatch(/; Domain=/);
    }
    expect(res.headers['strict-transport-security']).toMatch(/max-age=\d+/);
    expect(res.text).not.toContain('Sandbox mode');
    expect(res.text).not.toContain('demo-password');
  });

  test('in production over plain http (no trusted proxy) no cookie is ever sent', async () => {
    emulator = await startBandwidthEmulator();
    instance = await startExampleApp(productionEnv(emulator));
    const res = await request(instance.app).get('/login').set('X-Forwarded-Proto', 'https');
    expect(res.headers['set-cookie']).toBeUndefined();
    const login = await request(instance.app)
      .post('/login')
      .set('X-Forwarded-Proto', 'https')
      .set('Accept', 'application/json')
      .send({ username: 'erin', password: 'erin-password-1' });
    expect(login.status).toBe(200);
    expect(login.headers['set-cookie']).toBeUndefined();
  });
});
