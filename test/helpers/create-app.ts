// Builds a real Express app with the library, sessions in the real Redis, and Bandwidth as the emulator.
import express, { type Express, type Request, type RequestHandler } from 'express';
import session from 'express-session';
import { RedisStore } from 'connect-redis';
import { RedisStore as RedisStoreForNodeRedis } from 'connect-redis9';
import type { Cluster, Redis } from 'ioredis';
import { createMfa, redisStore, type Mfa, type MfaOptions, type MfaEvent } from '../../src';
import type { BandwidthEmulator } from '../../src/testing';
import type { UserRecords } from './user-records';
import type { NodeRedisClusterV5, NodeRedisV5 } from './node-redis';

export interface TestUser {
  id: string;
  phoneNumber: string;
}

export const USERS: Record<string, TestUser> = {
  alice: { id: 'user-alice', phoneNumber: '+12025550101' },
  bob: { id: 'user-bob', phoneNumber: '+12025550102' },
};

/** With `lifecycle`: users whose numbers change (carol and dave start with none). */
export const LIFECYCLE_USERS = ['alice', 'bob', 'carol', 'dave'] as const;

export interface TestAppOptions {
  /**
   * Holds both the sessions and the MFA store; a `Cluster` works too (test/cluster). ioredis sessions go
   * through connect-redis 8.1, node-redis v5 ones (a client or a cluster) through connect-redis 9.
   */
  redis: Redis | Cluster | NodeRedisV5 | NodeRedisClusterV5;
  /** Shared by every instance that should behave as one deployment. */
  prefix: string;
  emulator: BandwidthEmulator;
  mfa?: Partial<MfaOptions>;
  events?: MfaEvent[];
  logs?: string[];
  /** The express module to build with; default Express 5 (the compatibility tests pass Express 4). */
  express?: typeof express;
  /** Middleware of the instance run on the send route before `sendCodeRoute()`, e.g. `(mfa) => [mfa.sendRateLimit()]`. */
  beforeSend?: (instance: Mfa) => RequestHandler[];
  /** Middleware of the instance run on the enrolment send route (with `lifecycle`) before `enrolSendRoute()`. */
  beforeEnrolSend?: (instance: Mfa) => RequestHandler[];
  /** Mount `takeTurns()` on the send and verify routes before the body parsers and the session, as the README does. */
  takeTurns?: boolean;
  /**
   * User records in Redis whose numbers change, with the enrolment and recovery-code hooks and routes
   * (`/2fa/enrol/send`, `/2fa/enrol/verify`, `/2fa/phone/remove`, `/2fa/recovery`, `/2fa/recovery-codes`).
   */
  lifecycle?: UserRecords;
}

/** The routes that take turns (`workConcurrency`): sends and verifies, of a sign-in and of an enrolment. */
const TURN_PATHS = ['/2fa/send', '/2fa/verify', '/2fa/enrol/send', '/2fa/enrol/verify'];

/** OAuth2 client credentials, the only method Bandwidth accepts after 2026-12-02. */
export function bandwidthOptionsFor(emulator: BandwidthEmulator) {
  return {
    accountId: emulator.accountId,
    oauth: { clientId: 'client-id', clientSecret: 'client-secret', tokenUrl: emulator.tokenUrl },
    messagingApplicationId: 'messaging-app-id',
    voiceApplicationId: 'voice-app-id',
    from: '+19195550100',
    baseUrl: emulator.baseUrl,
    timeoutMs: 2000,
  };
}

/** connect-redis 9 speaks node-redis only (given ioredis, every save fails with `ERR syntax error`); 8.1 speaks ioredis. */
function sessionStore(client: TestAppOptions['redis'], prefix: string): session.Store {
  return 'evalSha' in client ? new RedisStoreForNodeRedis({ client, prefix }) : new RedisStore({ client, prefix });
}

export function createTestApp(options: TestAppOptions): Express {
  const framework = options.express ?? express;
  const app = framework();
  const logs = options.logs;
  // One instance: the routes below, and operator calls (unlock, revoke) through `mfaOf(app)`.
  const instance = createMfa({
    bandwidth: bandwidthOptionsFor(options.emulator),
    getUser: (req: Request) => {
      const { username: name, signedInAt } = req.session as { username?: string; signedInAt?: number };
      if (options.lifecycle) return name ? options.lifecycle.find(`user-${name}`).then((user) => ({ ...user, signedInAt })) : null;
      return name ? (USERS[name] ?? null) : null;
    },
    ...(options.lifecycle ? { enrolment: options.lifecycle.enrolment, recoveryCodes: options.lifecycle.recoveryCodes } : {}),
    store: redisStore(options.redis, { prefix: `${options.prefix}mfa:` }),
    onEvent: options.events ? (event) => options.events?.push(event) : undefined,
    logger: logs ? { warn: (m) => logs.push(m), error: (m) => logs.push(m) } : { warn: () => undefined, error: () => undefined },
    ...options.mfa,
  });
  app.locals.mfa = instance;
  // As the README mounts it: before the body parsers and the session, a send or verify waits for its turn.
  if (options.takeTurns) app.use(TURN_PATHS, instance.takeTurns());
  app.use(framework.json());
  app.use(framework.urlencoded({ extended: false }));
  app.use(
    session({
      store: sessionStore(options.redis, `${options.prefix}sess:`),
      secret: 'test-secret-of-the-test-app',
      resave: false,
      saveUninitialized: false,
      name: 'sid',
    }),
  );

  // The app's own password step, reduced to naming the user.
  app.post('/login', (req, res, next) => {
    const username = (req.body as { username?: unknown } | undefined)?.username;
    const known = options.lifecycle
      ? (LIFECYCLE_USERS as readonly string[]).includes(username as string)
      : Boolean(USERS[username as string]);
    if (typeof username !== 'string' || !known) return void res.status(401).json({ error: 'bad_login' });
    req.session.regenerate((error) => {
      if (error) return next(error);
      Object.assign(req.session, { username, signedInAt: Date.now() });
      res.json({ ok: true });
    });
  });
  // An app that changes the user without a new session (a mistake): the verification must not carry over.
  app.post('/switch-user-in-place', (req, res) => {
    (req.session as { username?: string }).username = (req.body as { username: string }).username;
    res.json({ ok: true });
  });
  app.post('/logout', (req, res, next) => req.session.destroy((error) => (error ? next(error) : res.json({ ok: true }))));
  app.post('/2fa/send', ...(options.beforeSend?.(instance) ?? []), instance.sendCodeRoute());
  app.post('/2fa/verify', instance.verifyCodeRoute());
  app.get('/2fa/state', async (req, res, next) => {
    try {
      res.json(await instance.getChallengeState(req));
    } catch (error) {
      next(error);
    }
  });
  // What a challenge page would show for `?error=<code>&wait=<s>`.
  app.get('/2fa/error-text', (req, res) => void res.json({ text: instance.errorMessage(req) ?? null }));
  if (options.lifecycle) {
    app.post('/2fa/enrol/send', ...(options.beforeEnrolSend?.(instance) ?? []), instance.enrolSendRoute());
    app.post('/2fa/enrol/verify', instance.enrolVerifyRoute());
    app.post('/2fa/phone/remove', instance.removePhoneRoute());
    app.post('/2fa/recovery', instance.recoveryRoute({ errorPath: '/2fa?form=recovery' }));
    app.post('/2fa/recovery-codes', instance.recoveryCodesRoute());
    app.get('/2fa/recovery-codes', async (req, res, next) => {
      try {
        res.json({ recoveryCodes: (await instance.takeNewRecoveryCodes(req)) ?? null });
      } catch (error) {
        next(error);
      }
    });
  }
  app.post('/2fa/passkeys/register/options', instance.passkeyRegistrationOptionsRoute());
  app.post('/2fa/passkeys/register/verify', instance.passkeyRegistrationVerifyRoute());
  app.post('/2fa/passkeys/auth/options', instance.passkeyAuthenticationOptionsRoute());
  app.post('/2fa/passkeys/auth/verify', instance.passkeyAuthenticationVerifyRoute());
  app.post('/2fa/passkeys/remove', instance.removePasskeyRoute());
  app.get('/admin', instance.requireSecondFactor(), (_req, res) => void res.json({ admin: true }));
  // Admin-grade: only a phishing-resistant factor (a passkey) of this session opens it.
  app.get('/admin/keys', instance.requireSecondFactor({ phishingResistant: true }), (_req, res) => void res.json({ keys: true }));
  app.post('/admin/action', instance.requireSecondFactor(), (_req, res) => void res.json({ done: true }));
  app.get('/admin/fresh', instance.requireSecondFactor({ maxAgeSeconds: 1 }), (_req, res) => void res.json({ fresh: true }));
  // Step-up: signed in with a second factor, and a code for this very action within 5 minutes.
  app.post(
    '/admin/transfer',
    instance.requireSecondFactor(),
    instance.requireSecondFactor({ scope: 'transfer', maxAgeSeconds: 300 }),
    (_req, res) => void res.json({ transferred: true }),
  );
  app.use(instance.errorHandler());
  return app;
}

/** The `createMfa` instance a test app was built with, for operator calls. */
export function mfaOf(app: Express): Mfa {
  return app.locals.mfa as Mfa;
}

/** The session cookie from a response, to replay on another instance. */
export function sessionCookie(headers: Record<string, unknown>): string {
  const cookies = headers['set-cookie'] as string[] | undefined;
  const sid = cookies?.find((c) => c.startsWith('sid='));
  if (!sid) throw new Error('no session cookie in the response');
  return sid.split(';')[0] as string;
}
