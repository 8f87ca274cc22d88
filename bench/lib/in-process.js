// Cost of each protected-route variant through the real Express stack, in this process: no sockets, no Redis, no load generator.
const http = require('node:http');
const { Duplex } = require('node:stream');
const session = require('express-session');
const mfa = require('express-bandwidth-mfa');
const { buildApp } = require('./app');
const { median } = require('./load');
const { softwarePasskey, passkeysOption } = require('./passkey');

/** @typedef {import('express').Express} Express */
/** @typedef {import('./types').CapturedResponse} CapturedResponse */
/** @typedef {import('./types').InProcessVariant} InProcessVariant */

/** @type {readonly InProcessVariant[]} */
const VARIANTS = ['a', 'b', 'c', 'n', 'p', 'r'];

/**
 * One request handed straight to the app, on a socket that swallows what is written.
 * @param {Express} app
 * @param {string} method
 * @param {string} path
 * @param {{ cookie?: string, body?: unknown, capture?: boolean }} [options]
 * @returns {Promise<CapturedResponse>}
 */
function dispatch(app, method, path, { cookie, body, capture = false } = {}) {
  return new Promise((resolve, reject) => {
    /** @type {Buffer[]} */
    const chunks = [];
    // Only the passkey options are read back; every other answer is swallowed.
    const socket = new Duplex({
      write: (chunk, _encoding, done) => {
        if (capture) chunks.push(Buffer.from(chunk));
        done();
      },
      read() {},
    });
    const req = new http.IncomingMessage(/** @type {import('node:net').Socket} */ (socket));
    const payload = body === undefined ? undefined : JSON.stringify(body);
    req.method = method;
    req.url = path;
    req.headers = { host: 'bench.local', accept: 'application/json' };
    if (cookie) req.headers.cookie = cookie;
    if (payload !== undefined)
      Object.assign(req.headers, { 'content-type': 'application/json', 'content-length': String(Buffer.byteLength(payload)) });
    // As Node's HTTP parser would say once the body is in; else reading it to the end destroys the socket.
    req.complete = true;
    if (payload !== undefined) req.push(payload);
    req.push(null);
    const res = /** @type {CapturedResponse} */ (new http.ServerResponse(req));
    res.assignSocket(/** @type {import('node:net').Socket} */ (socket));
    res.on('finish', () => {
      if (capture) res.body = Buffer.concat(chunks).toString('utf8').split('\r\n\r\n').slice(1).join('\r\n\r\n');
      resolve(res);
    });
    /** @type {import('./types').HandledApp} */ (app).handle(req, res, reject);
  });
}

/** @param {CapturedResponse} res */
function sidOf(res) {
  const sid = [res.getHeader('set-cookie') ?? []].flat().find((c) => String(c).startsWith('sid='));
  return sid ? String(sid).split(';')[0] : undefined;
}

/**
 * @param {Promise<CapturedResponse>} promise
 * @param {string} what
 */
async function expect200(promise, what) {
  const res = await promise;
  if (res.statusCode !== 200) throw new Error(`in-process ${what} answered ${res.statusCode}`);
  return res;
}

/**
 * Signs in, sends, verifies (a provider stub that accepts any code) and returns the verified session cookie.
 * @param {Express} app
 */
async function verifiedCookie(app) {
  const cookie = sidOf(await expect200(dispatch(app, 'POST', '/flow/login', { body: { user: 0 } }), 'login'));
  await expect200(dispatch(app, 'POST', '/flow/2fa/send', { cookie, body: { channel: 'sms' } }), 'send');
  return sidOf(await expect200(dispatch(app, 'POST', '/flow/2fa/verify', { cookie, body: { code: '123456' } }), 'verify'));
}

/**
 * From the SMS-verified cookie: binds a software passkey, signs in again, verifies with it; the passkey-verified cookie.
 * @param {Express} app
 * @param {string | undefined} smsCookie
 */
async function passkeyCookie(app, smsCookie) {
  const passkey = softwarePasskey();
  const json = (/** @type {CapturedResponse} */ res) => JSON.parse(/** @type {string} */ (res.body));
  const registration = await expect200(
    dispatch(app, 'POST', '/flow/2fa/passkeys/register/options', { cookie: smsCookie, body: {}, capture: true }),
    'passkey registration options',
  );
  await expect200(
    dispatch(app, 'POST', '/flow/2fa/passkeys/register/verify', {
      cookie: smsCookie,
      body: { response: passkey.register(json(registration)) },
    }),
    'passkey registration',
  );
  const cookie = sidOf(await expect200(dispatch(app, 'POST', '/flow/login', { body: { user: 0 } }), 'login'));
  const options = await expect200(
    dispatch(app, 'POST', '/flow/2fa/passkeys/auth/options', { cookie, body: {}, capture: true }),
    'passkey options',
  );
  return sidOf(
    await expect200(
      dispatch(app, 'POST', '/flow/2fa/passkeys/auth/verify', { cookie, body: { response: passkey.assert(json(options)) } }),
      'passkey sign-in',
    ),
  );
}

/**
 * Time per protected request of (a), (b), (c), (n), one process, no sockets, Redis or load generator: the
 * variants take turns request by request, so whatever else the machine does hits them alike, and the
 * medians resolve fractions of a µs that the HTTP runs cannot.
 * @param {{ requests?: number }} [options]
 * @returns {Promise<import('./types').InProcessCost>}
 */
async function inProcessCost({ requests = 12_000 } = {}) {
  const app = buildApp({
    sessionStore: new session.MemoryStore(),
    mfaStore: mfa.memoryStore(),
    bandwidth: { sendCode: async () => ({ id: 'bench' }), verifyCode: async () => true },
    options: { passkeys: passkeysOption() },
  });
  const cookie = await verifiedCookie(app);
  const passkey = await passkeyCookie(app, cookie);
  // (p): the guard of (c) on a passkey-verified session; (r): the phishing-resistant guard on it.
  const cookies = { a: cookie, b: cookie, c: cookie, n: cookie, p: passkey, r: passkey };
  const paths = { a: '/a', b: '/b', c: '/c', n: '/n', p: '/c', r: '/r' };
  const warmUp = Math.floor(requests / 5);
  const times = /** @type {Record<InProcessVariant, number[]>} */ (
    Object.fromEntries(VARIANTS.map((v) => [v, /** @type {number[]} */ ([])]))
  );
  for (let i = 0; i < warmUp + requests; i += 1) {
    for (let j = 0; j < VARIANTS.length; j += 1) {
      const v = /** @type {InProcessVariant} */ (VARIANTS[(i + j) % VARIANTS.length]);
      const start = process.hrtime.bigint();
      await expect200(dispatch(app, 'GET', paths[v], { cookie: cookies[v] }), `${paths[v]} (${v})`);
      if (i >= warmUp) times[v].push(Number(process.hrtime.bigint() - start) / 1000);
    }
  }
  const summary = /** @type {import('./types').InProcessCost} */ ({ requests });
  for (const v of VARIANTS) summary[v] = /** @type {import('./types').VariantCost} */ ({ micros: median(times[v]) });
  for (const v of VARIANTS) summary[v].extra = summary[v].micros - summary.a.micros;
  summary.guard = summary.c.micros - summary.n.micros;
  // Side by side, request by request: the passkey session against the SMS one on the same guard.
  summary.passkeyRatio = summary.p.micros / summary.c.micros;
  summary.strictRatio = summary.r.micros / summary.c.micros;
  return summary;
}

module.exports = { inProcessCost, dispatch, sidOf };
