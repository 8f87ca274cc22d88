// The library's OpenTelemetry metrics for Prometheus at GET /metrics, on the app's own port, for operators only.
'use strict';

const { createHash, timingSafeEqual } = require('node:crypto');
const { MeterProvider } = require('@opentelemetry/sdk-metrics');
const { PrometheusExporter } = require('@opentelemetry/exporter-prometheus');

const METRICS_PATH = '/metrics';

/**
 * @param {{ metricsToken?: string }} config  METRICS_TOKEN: a bearer token Prometheus sends; unset, this machine only
 * @returns {{ meterProvider: MeterProvider, endpoint: import('express').RequestHandler, close(): Promise<void> }}
 */
function prometheusMetrics({ metricsToken }) {
  // The exporter's own server would open a second port; its handler serves the same text on ours.
  const exporter = new PrometheusExporter({ preventServerStart: true });
  const meterProvider = new MeterProvider({ readers: [exporter] });
  const operator = metricsToken ? bearerCheck(metricsToken) : directFromThisMachine;
  /** @type {import('express').RequestHandler} */
  const endpoint = function metricsEndpoint(req, res) {
    res.set('Cache-Control', 'no-store');
    const refusal = operator(req);
    if (refusal) {
      if (refusal.status === 401) res.set('WWW-Authenticate', 'Bearer realm="metrics"');
      return res.status(refusal.status).json({ error: refusal.error, message: refusal.message });
    }
    exporter.getMetricsRequestHandler(req, res);
  };
  return { meterProvider, endpoint, close: () => meterProvider.shutdown() };
}

/**
 * What the operator check of a request answers: undefined to serve the metrics, or the refusal.
 * @typedef {(req: import('express').Request) => { status: number, error: string, message: string } | undefined} OperatorCheck
 */

/**
 * `Authorization: Bearer <METRICS_TOKEN>`, compared in constant time (both sides hashed to one length first).
 * @param {string} token
 * @returns {OperatorCheck}
 */
function bearerCheck(token) {
  const expected = createHash('sha256').update(token).digest();
  return (req) => {
    const match = /^Bearer (\S+)$/.exec(req.get('authorization') ?? '');
    const given = createHash('sha256')
      .update(match?.[1] ?? '')
      .digest();
    if (match && timingSafeEqual(given, expected)) return undefined;
    return { status: 401, error: 'unauthorized', message: 'Metrics are for operators: send Authorization: Bearer <METRICS_TOKEN>.' };
  };
}

/**
 * Without a token: a client on this machine talking to the app directly. A request relayed by a proxy (which
 * may run on this machine too) carries Forwarded or X-Forwarded-For and is refused, whatever `trust proxy` says.
 * @type {OperatorCheck}
 */
function directFromThisMachine(req) {
  const address = req.socket.remoteAddress ?? '';
  const loopback = /^(127\.|::1$|::ffff:127\.)/.test(address);
  if (loopback && req.get('x-forwarded-for') === undefined && req.get('forwarded') === undefined) return undefined;
  return {
    status: 403,
    error: 'forbidden',
    message: 'Metrics are served to this machine only; set METRICS_TOKEN to scrape them from elsewhere.',
  };
}

module.exports = { prometheusMetrics, METRICS_PATH };
