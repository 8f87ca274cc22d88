// A small keep-alive JSON client for the setup steps: sign in, send, verify, read the control routes.
const http = require('node:http');
const { phoneNumberOf } = require('./app');

const agent = new http.Agent({ keepAlive: true, maxSockets: 10 });

function request(port, method, path, { body, cookie } = {}) {
  const payload = body === undefined ? undefined : JSON.stringify(body);
  const headers = { Accept: 'application/json' };
  if (payload !== undefined) Object.assign(headers, { 'Content-Type': 'application/json', 'Content-Length': Buffer.byteLength(payload) });
  if (cookie) headers.Cookie = cookie;
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port, method, path, headers, agent }, (res) => {
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

function sessionCookie(setCookie) {
  const sid = (setCookie || []).find((c) => c.startsWith('sid='));
  return sid ? sid.split(';')[0] : undefined;
}

async function expectOk(promise, step) {
  const res = await promise;
  if (res.status !== 200) throw new Error(`${step} answered ${res.status} ${JSON.stringify(res.body)}`);
  return res;
}

/** Signs bench user n in (the app's password step) and returns the session cookie. */
async function login(port, n) {
  return (await expectOk(request(port, 'POST', '/flow/login', { body: { user: n } }), 'login')).cookie;
}

function send(port, cookie) {
  return expectOk(request(port, 'POST', '/flow/2fa/send', { body: { channel: 'sms' }, cookie }), 'send');
}

async function verify(port, cookie, code) {
  return (await expectOk(request(port, 'POST', '/flow/2fa/verify', { body: { code }, cookie }), 'verify')).cookie;
}

async function getJson(port, path) {
  return (await expectOk(request(port, 'GET', path), path)).body;
}

/** Runs `task(i)` for i in [0, count) with at most `parallel` in flight. */
async function inParallel(count, parallel, task) {
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
