// A Bandwidth MFA emulator over real HTTP: the vendor's paths, auth, bodies and error shapes, plus faults.
import http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { AddressInfo, Socket } from 'node:net';
import { CodeBook } from './code-book';
import { FaultQueue, documentedBody, type EmulatorEndpoint, type FaultSpec } from './faults';
import { checkSendBody, checkVerifyBody } from './vendor-rules';

export interface EmulatorOptions {
  /** Default 0: any free port on 127.0.0.1. */
  port?: number;
  /** Default `9900000`. */
  accountId?: string;
  /** API users accepted with Basic auth. Default one: `api-user` / `api-pass`. */
  users?: Array<{ username: string; password: string }>;
  /** OAuth2 clients accepted at the token endpoint. Default one: `client-id` / `client-secret`. */
  oauthClients?: Array<{ clientId: string; clientSecret: string }>;
  /** Seconds a token lives. Default 3600. */
  tokenLifetimeSeconds?: number;
  /** Application ids Bandwidth knows. Defaults `messaging-app-id` and `voice-app-id`. */
  messagingApplicationIds?: string[];
  voiceApplicationIds?: string[];
  /** Wrong codes for one number before a 429. Default 5. */
  maxWrongAttempts?: number;
  /** Length of that 429 lockout. Default 120000 (the "please wait 2 minutes" of the docs). */
  lockoutMs?: number;
}

export interface SentCode {
  channel: 'sms' | 'voice';
  id: string;
  to: string;
  from: string;
  applicationId: string;
  scope: string;
  digits: number;
  /** The message as the user would read it, code filled in. */
  text: string;
  code: string;
  at: Date;
}

export interface RecordedRequest {
  endpoint: EmulatorEndpoint | 'unknown';
  method: string;
  path: string;
  /** How the call authenticated, without the secret: `basic:<user>`, `bearer`, or `none`. */
  auth: string;
  /** Parsed JSON (or form fields for the token endpoint); undefined when unreadable. */
  body: unknown;
  at: Date;
}

export interface BandwidthEmulator {
  /** Give this as `bandwidth.baseUrl`. */
  readonly baseUrl: string;
  /** Give this as `bandwidth.oauth.tokenUrl`. */
  readonly tokenUrl: string;
  readonly accountId: string;
  /** Codes sent, oldest first. */
  readonly sent: SentCode[];
  readonly requests: RecordedRequest[];
  /** TCP connections accepted since start or the last `reset()`. */
  readonly connectionCount: number;
  /** The last code sent to a number (and scope, when given). */
  lastCode(to: string, scope?: string): string | undefined;
  requestCount(endpoint?: EmulatorEndpoint): number;
  injectFault(fault: FaultSpec): void;
  clearFaults(): void;
  /** Moves the emulator's clock forward: codes age, lockouts and tokens expire. */
  advanceTime(ms: number): void;
  /** Forgets codes, requests, faults, lockouts, tokens and the clock offset. */
  reset(): void;
  close(): Promise<void>;
}

const BODY_LIMIT = 64 * 1024;

export async function startBandwidthEmulator(options: EmulatorOptions = {}): Promise<BandwidthEmulator> {
  const accountId = options.accountId ?? '9900000';
  const users = options.users ?? [{ username: 'api-user', password: 'api-pass' }];
  const clients = options.oauthClients ?? [{ clientId: 'client-id', clientSecret: 'client-secret' }];
  const messagingApps = options.messagingApplicationIds ?? ['messaging-app-id'];
  const voiceApps = options.voiceApplicationIds ?? ['voice-app-id'];
  const tokenLifetimeSeconds = options.tokenLifetimeSeconds ?? 3600;
  const book = new CodeBook({ maxWrongAttempts: options.maxWrongAttempts ?? 5, lockoutMs: options.lockoutMs ?? 120_000 });
  const faults = new FaultQueue();
  const tokens = new Map<string, number>();
  const sent: SentCode[] = [];
  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let offsetMs = 0;
  let connections = 0;
  const now = () => Date.now() + offsetMs;

  const server = http.createServer((req, res) => {
    readBody(req)
      .then((raw) => handle(req, res, raw))
      .catch(() => {
        if (!res.headersSent) answer(res, 400, { error: 'Request body could not be read', requestId: randomUUID() });
      });
  });
  server.keepAliveTimeout = 30_000;
  server.on('connection', (socket: Socket) => {
    connections += 1;
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  async function handle(req: http.IncomingMessage, res: http.ServerResponse, raw: string): Promise<void> {
    const path = (req.url ?? '').split('?')[0] as string;
    const endpoint = endpointOf(path);
    const authHeader = req.headers.authorization ?? '';
    const body = endpoint === 'token' ? Object.fromEntries(new URLSearchParams(raw)) : parseJson(raw);
    requests.push({ endpoint, method: req.method ?? '', path, auth: describeAuth(authHeader), body, at: new Date(now()) });

    const fault = endpoint === 'unknown' ? undefined : faults.take(endpoint);
    if (fault?.delayMs) await sleep(fault.delayMs);
    const answersWithFault = fault?.status !== undefined || fault?.rawBody !== undefined;
    if (answersWithFault && !fault.afterHandling) return faultAnswer(res, fault);

    const result = route(req.method ?? '', path, endpoint, authHeader, body);
    if (answersWithFault) return faultAnswer(res, fault);
    // Hang and reset model the worst case: Bandwidth did the work, the answer never arrived.
    if (fault?.hang) return;
    if (fault?.destroySocket) return void req.socket.destroy();
    answer(res, result.status, result.body, fault?.headers);
  }

  function route(
    method: string,
    path: string,
    endpoint: EmulatorEndpoint | 'unknown',
    authHeader: string,
    body: unknown,
  ): { status: number; body: unknown } {
    const requestId = randomUUID();
    if (endpoint === 'unknown' || method !== 'POST') return { status: 404, body: { message: 'Not Found' } };
    if (endpoint === 'token') return issueToken(authHeader, body as Record<string, string>);

    const auth = authenticate(authHeader);
    if (auth === 'missing') return { status: 401, body: { message: 'Unauthorized' } };
    if (auth === 'denied' || !path.startsWith(`/api/v1/accounts/${accountId}/`)) {
      return { status: 403, body: { Message: 'User is not authorized to access this resource with an explicit deny' } };
    }
    if (typeof body !== 'object' || body === null || Array.isArray(body)) {
      return { status: 400, body: { error: 'Request body must be a JSON object', requestId } };
    }
    const fields = body as Record<string, unknown>;
    if (endpoint === 'verify') {
      const checked = checkVerifyBody(fields);
      if (!checked.ok) return { status: 400, body: { error: checked.error, requestId } };
      const { to, scope, code, expirationTimeInMinutes } = checked.value;
      const outcome = book.verify(to, scope, code, expirationTimeInMinutes, now());
      if (outcome === 'rate_limited') return { status: 429, body: documentedBody(429, requestId) };
      return { status: 200, body: { valid: outcome === 'valid' } };
    }
    const checked = checkSendBody(fields);
    if (!checked.ok) return { status: 400, body: { error: checked.error, requestId } };
    const send = checked.value;
    const channel = endpoint === 'voice' ? 'voice' : 'sms';
    if (!(channel === 'voice' ? voiceApps : messagingApps).includes(send.applicationId)) {
      return { status: 400, body: { error: 'applicationId is not a valid application for this account', requestId } };
    }
    const code = book.issue(send.to, send.scope, send.digits, now());
    const id = channel === 'voice' ? `c-${randomUUID()}` : `${now()}${randomUUID().slice(0, 12)}`;
    const text = send.message.replaceAll('{CODE}', code).replaceAll('{NAME}', 'Emulated App').replaceAll('{SCOPE}', send.scope);
    sent.push({
      channel,
      id,
      to: send.to,
      from: send.from,
      applicationId: send.applicationId,
      scope: send.scope,
      digits: send.digits,
      text,
      code,
      at: new Date(now()),
    });
    return { status: 200, body: channel === 'voice' ? { callId: id } : { messageId: id } };
  }

  function authenticate(header: string): 'ok' | 'missing' | 'denied' {
    if (header === '') return 'missing';
    if (header.startsWith('Bearer ')) {
      const expires = tokens.get(header.slice(7));
      return expires !== undefined && expires > now() ? 'ok' : 'denied';
    }
    const basic = decodeBasic(header);
    if (!basic) return 'missing';
    return users.some((u) => u.username === basic.user && u.password === basic.password) ? 'ok' : 'denied';
  }

  function issueToken(header: string, form: Record<string, string>): { status: number; body: unknown } {
    const basic = decodeBasic(header);
    const known = basic && clients.some((c) => c.clientId === basic.user && c.clientSecret === basic.password);
    if (!known) return { status: 401, body: { error: 'invalid_client' } };
    if (form.grant_type !== 'client_credentials') return { status: 400, body: { error: 'unsupported_grant_type' } };
    const token = randomUUID();
    tokens.set(token, now() + tokenLifetimeSeconds * 1000);
    return { status: 200, body: { access_token: token, token_type: 'bearer', expires_in: tokenLifetimeSeconds } };
  }

  function faultAnswer(res: http.ServerResponse, fault: FaultSpec): void {
    const status = fault.status ?? 200;
    const headers = { 'Content-Type': 'application/json; charset=utf-8', ...fault.headers };
    const payload = fault.rawBody ?? JSON.stringify(fault.body ?? documentedBody(status, randomUUID()));
    res.writeHead(status, headers).end(payload);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;

  return {
    baseUrl: `${origin}/api/v1`,
    tokenUrl: `${origin}/api/v1/oauth2/token`,
    accountId,
    sent,
    requests,
    get connectionCount() {
      return connections;
    },
    lastCode(to, scope) {
      for (let i = sent.length - 1; i >= 0; i -= 1) {
        const entry = sent[i] as SentCode;
        if (entry.to === to && (scope === undefined || entry.scope === scope)) return entry.code;
      }
      return undefined;
    },
    requestCount(endpoint) {
      return endpoint === undefined ? requests.length : requests.filter((r) => r.endpoint === endpoint).length;
    },
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    advanceTime(ms) {
      offsetMs += ms;
    },
    reset() {
      sent.length = 0;
      requests.length = 0;
      faults.clear();
      book.clear();
      tokens.clear();
      offsetMs = 0;
      connections = 0;
    },
    close() {
      for (const socket of sockets) socket.destroy();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function endpointOf(path: string): EmulatorEndpoint | 'unknown' {
  if (path === '/api/v1/oauth2/token') return 'token';
  const match = /^\/api\/v1\/accounts\/[^/]+\/code\/(messaging|voice|verify)$/.exec(path);
  return (match?.[1] as EmulatorEndpoint | undefined) ?? 'unknown';
}

function decodeBasic(header: string): { user: string; password: string } | undefined {
  if (!header.startsWith('Basic ')) return undefined;
  const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { user: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

function describeAuth(header: string): string {
  if (header.startsWith('Bearer ')) return 'bearer';
  const basic = decodeBasic(header);
  return basic ? `basic:${basic.user}` : 'none';
}

function parseJson(raw: string): unknown {
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

function readBody(req: http.IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) return void reject(new Error('body too large'));
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function answer(res: http.ServerResponse, status: number, body: unknown, headers?: Record<string, string>): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', ...headers }).end(JSON.stringify(body));
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
