// Runs autocannon against the bench app and reduces the run to req/s and exact p50/p99 latencies.
const autocannon = require('autocannon');

const HEADERS = { accept: 'application/json' };

/** @typedef {{ cookie: string, body?: unknown }} RotateEntry One user's request of a rotating run: their cookie, the JSON body. */

/**
 * @typedef {object} LoadOptions
 * @property {number} port
 * @property {string} path
 * @property {string} [method]
 * @property {number} [connections]
 * @property {number} [duration] Seconds.
 * @property {number} [amount] Requests.
 * @property {string} [cookie]
 * @property {RotateEntry[]} [rotate]
 */

/**
 * One load run. `duration` (s) or `amount` (requests). With `rotate`, each request takes the next entry
 * ({ cookie, body }) of the list, so every request is a different user's.
 * @param {LoadOptions} options
 * @returns {Promise<import('./types').LoadRun>}
 */
function load({ port, path, method = 'GET', connections = 10, duration, amount, cookie, rotate }) {
  /** @type {number[]} */
  const latencies = [];
  let taken = 0;
  /** @type {import('autocannon').Options} */
  const opts = {
    url: `http://127.0.0.1:${port}`,
    connections,
    pipelining: 1,
    timeout: 10,
    // autocannon ends a run at its next sample tick: a short tick keeps short runs short.
    sampleInt: 100,
    headers: cookie ? { ...HEADERS, cookie } : HEADERS,
    requests: [{ method, path }],
  };
  if (amount !== undefined) opts.amount = amount;
  else opts.duration = duration;
  if (rotate) {
    opts.requests = [
      {
        method,
        path,
        // autocannon builds one request ahead per connection: those few extra entries are never sent.
        setupRequest: (req) => {
          const entry = /** @type {RotateEntry} */ (rotate[Math.min(taken++, rotate.length - 1)]);
          const headers = { ...req.headers, cookie: entry.cookie };
          if (entry.body === undefined) return { ...req, headers };
          return { ...req, headers: { ...headers, 'content-type': 'application/json' }, body: JSON.stringify(entry.body) };
        },
      },
    ];
  }
  /** @type {bigint | undefined} */
  let first;
  /** @type {bigint | undefined} */
  let last;
  return new Promise((resolve, reject) => {
    const instance = autocannon(opts, (error, result) => {
      if (error) return reject(error);
      const sorted = Float64Array.from(latencies).sort();
      resolve({
        ok: result['2xx'],
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
        statusCodes: result.statusCodeStats,
        // 2xx answers per second between the first and the last one: autocannon's own duration is rounded to
        // 10 ms and includes connecting, a 1–2 % error on a half-second run.
        rps:
          latencies.length > 1 && first !== undefined && last !== undefined ? ((latencies.length - 1) * 1e9) / Number(last - first) : NaN,
        p50: percentile(sorted, 0.5),
        p99: percentile(sorted, 0.99),
        taken,
      });
    });
    instance.on('response', (_client, statusCode, _bytes, responseTime) => {
      if (statusCode < 200 || statusCode >= 300) return;
      last = process.hrtime.bigint();
      first ??= last;
      latencies.push(responseTime);
    });
  });
}

/**
 * @param {Float64Array} sorted
 * @param {number} q In (0, 1].
 */
function percentile(sorted, q) {
  if (sorted.length === 0) return NaN;
  return /** @type {number} */ (sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)]);
}

/**
 * Linear-interpolated quantile of a list of numbers (q in [0, 1]).
 * @param {number[]} values
 * @param {number} q
 */
function quantile(values, q) {
  const sorted = [...values].sort((x, y) => x - y);
  const at = (sorted.length - 1) * q;
  const low = Math.floor(at);
  const below = /** @type {number} */ (sorted[low]);
  const above = /** @type {number} */ (sorted[Math.ceil(at)]);
  return below + (above - below) * (at - low);
}

/** @param {number[]} values */
function median(values) {
  return quantile(values, 0.5);
}

module.exports = { load, median, quantile };
