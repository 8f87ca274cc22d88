// A small keep-alive JSON client for the setup steps: sign in, send, verify, read the control routes.
const http = require('node:http');
const { phoneNumberOf } = require('./app');

const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });

/**
 * @typedef {object} JsonAnswer
 * @property {number | undefined} status
 * @property {unknown} body The parsed JSON answer; undefined when empty or not JSON.
 * @property {string | undefined} cookie The `sid=…` pair of a Set-Cookie, when the answer set one.
 */

/**
 * @param {number} port
 * @param {string} method
 * @param {string} path
 * @param {{ body?: unknown, cookie?: string }} [options]
 * @returns {Promise<JsonAnswer>}
 */
function request(port, method, path, { body, cookie } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  /** @type {import('node:http').OutgoingHttpHeaders} */
  const headers = { Accept: 'application/json' };
  if (payload !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  if (cookie) headers.Cookie = cookie;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
      /** @type {Buffer[]} */
      const chunks = [];
      res.on('data', (chunk) => chunks.push(chunk));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let json;
        try {
          json = text ? JSON.parse(text) : undefined;
        } catch {
          json = undefined;
        }
        resolve({ status: res.statusCode, body: json, cookie: sessionCookie(res.headers['set-cookie']) });
      });
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** @param {string[] | undefined} setCookie */
function sessionCookie(setCookie) {
  const sid = (setCookie || []).find((c) => c.startsWith('sid='));
  return sid ? sid.split(';')[0] : undefined;
}

/**
 * @param {Promise<JsonAnswer>} promise
 * @param {string} step
 */
async function expectOk(promise, step) {
  const res = await promise;
  if (res.status !== 200) throw new Error(`${step} answered ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/**
 * Signs bench user n in (the app's password step) and returns the session cookie.
 * @param {number} port
 * @param {number} n
 */
async function login(port, n) {
  const { cookie } = await expectOk(request(port, 'POST', '/flow/login', { body: { user: n } }), 'login');
  if (!cookie) throw new Error('login answered without a session cookie');
  return cookie;
}

/**
 * @param {number} port
 * @param {string} cookie
 */
function send(port, cookie) {
  return expectOk(request(port, 'POST', '/flow/2fa/send', { body: { channel: 'sms' }, cookie }), 'send');
}

/**
 * The new session cookie of a right code (undefined when the answer set none).
 * @param {number} port
 * @param {string} cookie
 * @param {string} code
 */
async function verify(port, cookie, code) {
  return (await expectOk(request(port, 'POST', '/flow/2fa/verify', { body: { code }, cookie }), 'verify')).cookie;
}

/**
 * One of the bench app's control routes (bench/server.js), as JSON.
 * @template {keyof import('./types').ControlRoutes} P
 * @param {number} port
 * @param {P} path
 * @returns {Promise<import('./types').ControlRoutes[P]>}
 */
async function getJson(port, path) {
  return /** @type {import('./types').ControlRoutes[P]} */ ((await expectOk(request(port, 'GET', path), path)).body);
}

/**
 * Runs `task(i)` for i in [0, count) with at most `parallel` in flight.
 * @template T
 * @param {number} count
 * @param {number} parallel
 * @param {(i: number) => Promise<T>} task
 * @returns {Promise<T[]>}
 */
async function inParallel(count, parallel, task) {
  /** @type {T[]} */
  const results = new Array(count);
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      results[i] = await task(i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
  return results;
}

module.exports = { login, send, verify, getJson, inParallel, phoneNumberOf, agent };
