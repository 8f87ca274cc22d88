// The Lua scripts behind the Redis store: each store method is exactly one of them, so each is atomic.
import { createHash } from 'node:crypto';

export interface LuaScript {
  name: string;
  source: string;
  sha1: string;
}

export function script(name: string, source: string): LuaScript {
  return { name, source, sha1: createHash('sha1').update(source).digest('hex') };
}

// Scripts given several keys are only ever given keys of one user (one hash tag), so on a Cluster
// they run on the one node that owns that slot. Counters refuse non-integers, as INCR does, before
// anything is written: a broken counter fails the request closed instead of half-applying a step.

/** SET, or with ARGV[3] = 1, SET NX: one script for both, so a custom store has one method for both. */
export const SET = script(
  'set',
  `
local reply
if ARGV[3] == '1' then
  reply = redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2], 'NX')
else
  reply = redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2])
end
if reply then return 1 end
return 0
`,
);

/** Value and remaining life read together, so the pair always describes the same key. */
export const GET_WITH_TTL = script(
  'get',
  `
local value = redis.call('GET', KEYS[1])
if not value then return false end
return { value, redis.call('PTTL', KEYS[1]) }
`,
);

/**
 * DEL, or given ARGV[1], compare-and-delete taking the user's related keys with it: of many callers
 * holding the same value, exactly one gets 1.
 */
export const DELETE = script(
  'delete',
  `
if ARGV[1] and redis.call('GET', KEYS[1]) ~= ARGV[1] then return 0 end
redis.call('DEL', unpack(KEYS))
return 1
`,
);

export const MAP_SET = script(
  'mapSet',
  `
redis.call('HSET', KEYS[1], ARGV[1], ARGV[2])
local wanted = tonumber(ARGV[3]) * 1000
if redis.call('PTTL', KEYS[1]) < wanted then
  redis.call('PEXPIRE', KEYS[1], wanted)
end
return 1
`,
);

export const MAP_GET = script(
  'mapGet',
  `
return redis.call('HGET', KEYS[1], ARGV[1])
`,
);

export const MAP_GET_ALL = script(
  'mapGetAll',
  `
return redis.call('HGETALL', KEYS[1])
`,
);

export const MAP_DELETE = script(
  'mapDelete',
  `
return redis.call('HDEL', KEYS[1], ARGV[1])
`,
);

/**
 * KEYS: lockout, cooldown, sends, challenge. ARGV: cooldown seconds, max sends, window seconds, challenge id,
 * challenge seconds. Refuses while locked out, in the cooldown, or at the hourly cap; otherwise claims the
 * cooldown, counts the send and records the new challenge, so concurrent sends of one user make exactly
 * one provider call, and the challenge costs no round trip of its own.
 */
export const CLAIM_SEND = script(
  'claimSend',
  `
local lockout = redis.call('GET', KEYS[1])
if lockout then return { 'locked_out', redis.call('PTTL', KEYS[1]), lockout } end
local cooldown = redis.call('PTTL', KEYS[2])
if cooldown ~= -2 then return { 'resend_cooldown', cooldown } end
local sends = tonumber(redis.call('GET', KEYS[3]) or '0')
if not sends then return redis.error_reply('ERR value is not an integer or out of range') end
if sends >= tonumber(ARGV[2]) then return { 'send_limit_reached', redis.call('PTTL', KEYS[3]) } end
redis.call('SET', KEYS[2], '1', 'EX', ARGV[1])
if redis.call('INCR', KEYS[3]) == 1 or redis.call('PTTL', KEYS[3]) == -1 then
  redis.call('EXPIRE', KEYS[3], ARGV[3])
end
redis.call('SET', KEYS[4], ARGV[4], 'EX', ARGV[5])
return { 'claimed' }
`,
);

/**
 * KEYS: lockout, attempts, streak, and optionally the challenge. ARGV: attempts window, streak life (seconds).
 * Counts nothing while locked out; otherwise one more attempt and one more consecutive failure,
 * counted before the code is checked, so parallel requests all draw from one budget.
 */
export const COUNT_ATTEMPT = script(
  'countAttempt',
  `
local lockout = redis.call('GET', KEYS[1])
if lockout then return { 0, lockout, redis.call('PTTL', KEYS[1]) } end
for i = 2, 3 do
  local current = redis.call('GET', KEYS[i])
  if current and not tonumber(current) then return redis.error_reply('ERR value is not an integer or out of range') end
end
local attempts = redis.call('INCR', KEYS[2])
if attempts == 1 or redis.call('PTTL', KEYS[2]) == -1 then
  redis.call('EXPIRE', KEYS[2], ARGV[1])
end
local streak = redis.call('INCR', KEYS[3])
redis.call('EXPIRE', KEYS[3], ARGV[2])
if not KEYS[4] then return { 1, attempts, streak } end
local challenge = redis.call('GET', KEYS[4])
if not challenge then return { 1, attempts, streak } end
return { 1, attempts, streak, challenge, redis.call('PTTL', KEYS[4]) }
`,
);

/**
 * KEYS: lockout, and optionally attempts. ARGV: reason, seconds, attempts to pin.
 * A lockout is only ever extended: a shorter one (a late provider 429, say) leaves a longer one alone.
 * The attempt count is pinned for as long as the lockout that stands, so both end together.
 */
export const LOCK = script(
  'lock',
  `
local wanted = tonumber(ARGV[2]) * 1000
local left = redis.call('PTTL', KEYS[1])
if left ~= -1 and left < wanted then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', wanted)
  left = wanted
end
if KEYS[2] then
  redis.call('SET', KEYS[2], ARGV[3], 'PX', left == -1 and wanted or left)
end
return { redis.call('GET', KEYS[1]), left }
`,
);
