// Cost of each protected-route variant through the real Express stack, in this process: no sockets, no Redis, no load generator.
const http = require('node:http');
const { Duplex } = require('node:stream');
const session = require('express-session');
const mfa = require('express-bandwidth-mfa');
const { buildApp } = require('./app');
const { median } = require('./load');

const VARIANTS = ['a', 'b', 'c', 'n'];

/** One request handed straight to the app, on a socket that swallows what is written. */
function dispatch(app, method, path, { cookie, body } = {}) {
  return new Promise((resolve, reject) => {
    const socket = new Duplex({ write: (_chunk, _encoding, done) => done(), read() {} });
    const req = new http.IncomingMessage(socket);
    const payload = body === undefined ? undefined : JSON.stringify(body);
    req.method = method;
    req.url = path;
    req.headers = { host: 'bench.local', accept: 'application/json' };
    if (cookie) req.headers.cookie = cookie;
    if (payload !== undefined) Object.assign(req.headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
    // As Node's HTTP parser would say once the body is in; else reading it to the end destroys the socket.
    req.complete = true;
    if (payload !== undefined) req.push(payload);
    req.push(null);
    const res = new http.ServerResponse(req);
    res.assignSocket(socket);
    res.on('finish', () => resolve(res));
    app.handle(req, res, reject);
  });
}

function sidOf(res) {
  const sid = [res.getHeader('set-cookie') ?? []].flat().find((c) => String(c).startsWith('sid='));
  return sid ? String(sid).split(';')[0] : undefined;
}

async function expect200(promise, what) {
  const res = await promise;
  if (res.statusCode !== 200) throw new Error(`in-process ${what} answered ${res.statusCode}`);
  return res;
}

/** Signs in, sends, verifies (a provider stub that accepts any code) and returns the verified session cookie. */
async function verifiedCookie(app) {
  const cookie = sidOf(await expect200(dispatch(app, 'POST', '/flow/login', { body: { user: 0 } }), 'login'));
  await expect200(dispatch(app, 'POST', '/flow/2fa/send', { cookie, body: { channel: 'sms' } }), 'send');
  return sidOf(await expect200(dispatch(app, 'POST', '/flow/2fa/verify', { cookie, body: { code: '123456' } }), 'verify'));
}

/**
 * Time per protected request of (a), (b), (c), (n), one process, no sockets, Redis or load generator: the
 * variants take turns request by request, so whatever else the machine does hits them alike, and the
 * medians resolve fractions of a µs that the HTTP runs cannot.
 */
async function inProcessCost({ requests = 12_000 } = {}) {
  const app = buildApp({
    sessionStore: new session.MemoryStore(),
    mfaStore: mfa.memoryStore(),
    bandwidth: { sendCode: async () => ({ id: 'bench' }), verifyCode: async () => true },
  });
  const cookie = await verifiedCookie(app);
  const warmUp = Math.floor(requests / 5);
  const times = Object.fromEntries(VARIANTS.map((v) => [v, []]));
  for (let i = 0; i < warmUp + requests; i += 1) {
    for (let j = 0; j < VARIANTS.length; j += 1) {
      const v = VARIANTS[(i + j) % VARIANTS.length];
      const start = process.hrtime.bigint();
      await expect200(dispatch(app, 'GET', `/${v}`, { cookie }), `/${v}`);
      if (i >= warmUp) times[v].push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  const summary = { requests };
  for (const v of VARIANTS) summary[v] = { micros: median(times[v]) };
  for (const v of VARIANTS) summary[v].extra = summary[v].micros - summary.a.micros;
  summary.guard = summary.c.micros - summary.n.micros;
  return summary;
}

module.exports = { inProcessCost };
