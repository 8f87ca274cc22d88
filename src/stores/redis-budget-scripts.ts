// The Lua scripts of the send budgets: one step counts a send everywhere it counts, one gives back what a send charged.
import { script } from './redis-scripts';

// Every key here carries the `{budgets}` hash tag: on a Cluster the whole step runs on the node of that slot.
// Counts are maps (`sent`, `verified`, `flagged`, `warned`, `until`); a field that is not an integer
// fails the step before anything is written, as INCR would.

/**
 * KEYS: number, ceiling, allow-list, index, known number (or the number again when none), buckets...
 * ARGV: enforce (1/0), number max, number window, ceiling max, ceiling warn-at, ceiling window, allowed (1/0),
 * the allow-list candidates in one argument, separated by spaces (no entry holds one), then per bucket:
 * unverified, per-verified, window (seconds).
 * Answers { 'number_limit', pttl } | { 'ceiling', pttl, sent, first } | { 'budget', over } |
 * { 'counted', allowListed, ceilingSent, warning, ceilingOverFirst (-1 below the ceiling), over },
 * The index's fields are bucket keys without the store's prefix, as the caller named them.
 * each `over` an array of { bucket index (from 1), sent, verified, limit, pttl, first }.
 */
export const COUNT_SEND = script(
  'countSend',
  `
local function field(key, name)
  local value = redis.call('HGET', key, name)
  if not value then return 0 end
  return tonumber(value)
end
local function now_ms()
  local t = redis.call('TIME')
  return tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
end
local function count(key, window)
  local sent = redis.call('HINCRBY', key, 'sent', 1)
  if sent == 1 or redis.call('PTTL', key) == -1 then
    redis.call('EXPIRE', key, window)
    redis.call('HSET', key, 'until', now_ms() + tonumber(window) * 1000)
  end
  return sent
end
local enforce = ARGV[1] == '1'
local bad = redis.error_reply('ERR value is not an integer or out of range')
for i = 1, #KEYS do
  if i ~= 3 and i ~= 4 and i ~= 5 and (not field(KEYS[i], 'sent') or not field(KEYS[i], 'verified')) then return bad end
end
local number_sent = field(KEYS[1], 'sent')
if number_sent >= tonumber(ARGV[2]) then return { 'number_limit', redis.call('PTTL', KEYS[1]) } end
local allowed = ARGV[7] == '1' or redis.call('HEXISTS', KEYS[5], 'known') == 1
if not allowed and ARGV[8] ~= '' then
  local candidates = {}
  for entry in string.gmatch(ARGV[8], '%S+') do candidates[#candidates + 1] = entry end
  local listed = redis.call('HMGET', KEYS[3], unpack(candidates))
  for i = 1, #listed do
    if listed[i] then allowed = true break end
  end
end
local ceiling_sent = field(KEYS[2], 'sent')
local ceiling_over = -1
if ceiling_sent >= tonumber(ARGV[4]) then
  ceiling_over = redis.call('HSETNX', KEYS[2], 'flagged', '1')
  if enforce then return { 'ceiling', redis.call('PTTL', KEYS[2]), ceiling_sent, ceiling_over } end
end
local over = {}
local budgets = {}
if not allowed then
  for i = 6, #KEYS do
    local j = 8 + (i - 6) * 3
    local sent = field(KEYS[i], 'sent')
    local verified = field(KEYS[i], 'verified')
    local limit = math.max(tonumber(ARGV[j + 1]), math.floor(tonumber(ARGV[j + 2]) * verified))
    budgets[i] = limit
    if sent - verified >= limit then
      local first = redis.call('HSETNX', KEYS[i], 'flagged', '1')
      over[#over + 1] = { i - 5, sent, verified, limit, redis.call('PTTL', KEYS[i]), first }
    end
  end
  if enforce and #over > 0 then return { 'budget', over } end
end
count(KEYS[1], ARGV[3])
local ceiling = count(KEYS[2], ARGV[6])
local warning = 0
if ceiling >= tonumber(ARGV[5]) then warning = redis.call('HSETNX', KEYS[2], 'warned', '1') end
if not allowed then
  for i = 6, #KEYS do
    local j = 8 + (i - 6) * 3
    local sent = count(KEYS[i], ARGV[j + 3])
    if 2 * (sent - field(KEYS[i], 'verified')) >= budgets[i] then
      local wanted = redis.call('PTTL', KEYS[i])
      -- Listed by its key without the store's prefix (a prefix holds no brace, so the tag starts the name).
      local name = string.sub(KEYS[i], (string.find(KEYS[i], '{', 1, true)))
      redis.call('HSET', KEYS[4], name, redis.call('HGET', KEYS[i], 'until'))
      if redis.call('PTTL', KEYS[4]) < wanted then redis.call('PEXPIRE', KEYS[4], wanted) end
    end
  end
end
return { 'counted', allowed and 1 or 0, ceiling, warning, ceiling_over, over }
`,
);

/**
 * KEYS: what a send charged, then the known-number record when ARGV[2] > 0. ARGV: 'verified' (one more
 * verification, never more than the sends) or 'unsent' (one send fewer); the record's life in seconds, or 0.
 */
export const CREDIT_SEND = script(
  'creditSend',
  `
local charged = #KEYS
local known = tonumber(ARGV[2])
if known > 0 then charged = charged - 1 end
for i = 1, charged do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local sent = tonumber(redis.call('HGET', KEYS[i], 'sent') or '0')
    local verified = tonumber(redis.call('HGET', KEYS[i], 'verified') or '0')
    if not sent or not verified then return redis.error_reply('ERR value is not an integer or out of range') end
  end
end
for i = 1, charged do
  if redis.call('EXISTS', KEYS[i]) == 1 then
    local sent = tonumber(redis.call('HGET', KEYS[i], 'sent') or '0')
    local verified = tonumber(redis.call('HGET', KEYS[i], 'verified') or '0')
    if ARGV[1] == 'verified' and verified < sent then redis.call('HINCRBY', KEYS[i], 'verified', 1) end
    if ARGV[1] == 'unsent' and sent > 0 then redis.call('HINCRBY', KEYS[i], 'sent', -1) end
  end
end
if known > 0 and ARGV[1] == 'verified' then
  redis.call('HSET', KEYS[#KEYS], 'known', '1')
  redis.call('EXPIRE', KEYS[#KEYS], known)
end
return 1
`,
);
