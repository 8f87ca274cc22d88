// An IP-level guard for the send route, on express-rate-limit (+ rate-limit-redis to share the count across instances).
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type * as ExpressRateLimit from 'express-rate-limit';
import type * as RateLimitRedis from 'rate-limit-redis';
import { MfaError, serviceUnavailable } from './errors';
import { describe, fail, integerIn, pathOption, rejectUnknownKeys } from './config/checks';
import type { MfaConfig } from './options';
import { refuseRequestAsOptions } from './routes/config-source';
import { answerError } from './routes/boundary';
import { sendError } from './routes/respond';
import { refuseCrossSite } from './routes/same-origin';
import { LOG_PREFIX } from './log-prefix';
import { evalScript, redisCommands, type RedisClientLike, type RedisCommands } from './redis-client';
import { script, type LuaScript } from './stores/redis-scripts';

/** The client kinds `sendRateLimit({ redis })` takes: the same as `redisStore(client)`. */
export type RedisCommandClient = RedisClientLike;

export interface SendRateLimitOptions {
  /**
   * An ioredis `Redis`/`Cluster` or a node-redis client/cluster/Sentinel client: the count per IP is kept there, so every
   * app instance draws from one budget. Without it, each process counts on its own (express-rate-limit's memory store).
   */
  redis?: RedisCommandClient;
  /** Length of the counting window in milliseconds, from 1 second to 1 day. Default: 900 000 (15 minutes). */
  windowMs?: number;
  /** Send requests allowed per IP address (IPv6: per /56 network) in one window, 1–10 000. Default: 10. */
  limit?: number;
  /** Put in front of the IP in the Redis key; give each limiter its own. Default: `'mfa-send-ip:'`. */
  prefix?: string;
  /**
   * Where browsers over the limit are sent with `?error=send_limit_reached&wait=<seconds>`: the page of the
   * form (`enrolment.path` in front of `enrolSendRoute()`). Default: `challengePath`.
   */
  errorPath?: string;
}

const KNOWN = ['redis', 'windowMs', 'limit', 'prefix', 'errorPath'] as const;
const REQUEST_PROPERTY = 'mfaSendRateLimit';

interface Settings {
  redis: RedisCommands | undefined;
  windowMs: number;
  limit: number;
  prefix: string;
  errorPath: string | undefined;
}

function resolveSettings(options: SendRateLimitOptions): Settings {
  if (typeof options !== 'object' || options === null || Array.isArray(options)) {
    fail(`\`sendRateLimit(options)\` takes an object such as \`{ redis, limit: 10 }\`; got ${describe(options)}.`);
  }
  rejectUnknownKeys('sendRateLimit.', options, KNOWN);
  const { prefix = 'mfa-send-ip:' } = options;
  const redis = options.redis === undefined ? undefined : redisCommands(options.redis);
  if (options.redis !== undefined && redis === undefined) {
    fail(
      `\`sendRateLimit.redis\` must be an ioredis client (\`Redis\`, \`Cluster\`) or a node-redis client or cluster (\`createClient()\`, \`createCluster()\`); got ${describe(options.redis)}.`,
    );
  }
  if (typeof prefix !== 'string' || prefix === '') {
    fail(`\`sendRateLimit.prefix\` must be a non-empty string such as "mfa-send-ip:"; got ${describe(prefix)}.`);
  }
  return {
    redis,
    windowMs: integerIn(
      'sendRateLimit.windowMs',
      options.windowMs,
      15 * 60_000,
      1000,
      86_400_000,
      'It is in milliseconds: 15 minutes is 900000.',
    ),
    limit: integerIn('sendRateLimit.limit', options.limit, 10, 1, 10_000),
    prefix,
    errorPath: options.errorPath === undefined ? undefined : pathOption('sendRateLimit.errorPath', options.errorPath, '/2fa'),
  };
}

/** Optional peer dependencies are loaded only when the guard is built, so the core works without them. */
function loadOptional<T>(name: string): T {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports -- lazy on purpose: an optional peer dependency
    return require(name) as T;
  } catch (error) {
    if ((error as NodeJS.ErrnoException)?.code === 'MODULE_NOT_FOUND' && String((error as Error).message).includes(`'${name}'`)) {
      throw new Error(`${LOG_PREFIX}sendRateLimit() needs the package \`${name}\`: npm install express-rate-limit rate-limit-redis`, {
        cause: error,
      });
    }
    throw error;
  }
}

/**
 * rate-limit-redis's commands, sent through the app's client. Its scripts are "loaded" here by computing their
 * SHA1 (all SCRIPT LOAD returns), and EVALSHA falls back to EVAL when Redis answers NOSCRIPT. Why:
 * rate-limit-redis loads them once at start-up, so a Redis that is unreachable then would fail every
 * later request until a restart; and on a Cluster SCRIPT LOAD reaches one node, not the key's.
 */
function commandsFor(redis: RedisCommands): RateLimitRedis.SendCommandFn {
  const scripts = new Map<string, LuaScript>();
  return async (...args: string[]) => {
    const [command = '', ...rest] = args;
    const name = command.toUpperCase();
    if (name === 'SCRIPT' && rest[0]?.toUpperCase() === 'LOAD' && rest[1] !== undefined) {
      const added = script('rate-limit-redis', rest[1]);
      scripts.set(added.sha1, added);
      return added.sha1;
    }
    const known = name === 'EVALSHA' ? scripts.get(rest[0] ?? '') : undefined;
    const reply = known ? await evalScript(redis.send, known, rest.slice(1)) : await redis.send(command, ...rest);
    return reply as RateLimitRedis.RedisReply;
  };
}

function secondsUntil(resetTime: Date | undefined, windowMs: number): number {
  const ms = resetTime ? resetTime.getTime() - Date.now() : windowMs;
  return Math.max(1, Math.ceil(ms / 1000));
}

/** Checks the options and builds the limiter (its count is shared by every configuration it is bound to). */
export function rateLimitFor(options: SendRateLimitOptions = {}): (config: MfaConfig) => RequestHandler {
  refuseRequestAsOptions('sendRateLimit', options);
  const settings = resolveSettings(options);
  const { rateLimit } = loadOptional<typeof ExpressRateLimit>('express-rate-limit');
  const store = settings.redis
    ? new (loadOptional<typeof RateLimitRedis>('rate-limit-redis').RedisStore)({
        prefix: settings.prefix,
        sendCommand: commandsFor(settings.redis),
      })
    : undefined;

  const limiter = rateLimit({
    windowMs: settings.windowMs,
    limit: settings.limit,
    store,
    // Our own Retry-After and body instead of the RateLimit-* headers; and a property of our own, so an
    // app's other limiter keeps its `req.rateLimit`.
    standardHeaders: false,
    legacyHeaders: false,
    requestPropertyName: REQUEST_PROPERTY,
    // The limiter is shared, the configuration is the guard's: it travels on the request, under our own property.
    handler: (req: Request, res: Response, next: NextFunction) => {
      const info = (req as Request & { [REQUEST_PROPERTY]?: ExpressRateLimit.RateLimitInfo })[REQUEST_PROPERTY];
      const retryAfterSeconds = secondsUntil(info?.resetTime, settings.windowMs);
      answerError(new MfaError('send_limit_reached', { retryAfterSeconds }), req, res, next, configs.get(req), settings.errorPath);
    },
  });
  const configs = new WeakMap<Request, MfaConfig>();

  return (config) => {
    const guard = (req: Request, res: Response, next: NextFunction): void => {
      // Refused before it is counted: another site's page must not spend the user's address's budget.
      if (req.method === 'POST') {
        try {
          refuseCrossSite(config, req);
        } catch (refusal) {
          return sendError(req, res, config, refusal as MfaError);
        }
      }
      configs.set(req, config);
      void limiter(req, res, (error?: unknown) => {
        if (error === undefined) return next();
        // The count could not be kept: refuse (fail closed), as the core does when its store fails.
        config.logger.error(
          `${LOG_PREFIX}sendRateLimit could not reach its store (${(error as Error)?.name ?? 'error'}); the request was refused.`,
        );
        answerError(serviceUnavailable(), req, res, next, config, settings.errorPath);
      });
    };
    Object.defineProperty(guard, 'name', { value: 'sendRateLimit' });
    return guard;
  };
}
