// For a Redis without Cluster slots: a send's claim with its budget count, and a right code's consume with its credit, one script each.
import { CLAIM_SEND, DELETE, script, type LuaScript } from './redis-scripts';
import { COUNT_SEND, CREDIT_SEND } from './redis-budget-scripts';

/** A script's body as a local Lua function whose KEYS and ARGV are the tables it is called with. */
function asFunction(name: string, body: LuaScript): string {
  return `local function ${name}(KEYS, ARGV)\n${body.source}\nend`;
}

/**
 * KEYS: those of `claimSend` (lockout, cooldown, sends, challenge), then those of `countSend`. ARGV: the same, in
 * that order. Runs the two scripts' bodies unchanged as functions (their KEYS and ARGV are the slices handed to
 * them); a count that refuses or fails gives the claimed cooldown back, as the flow does after a separate count.
 * Answers the claim's refusal, or { 'claimed', count }. On a Cluster the two sets of keys live on different
 * slots, so the store runs the claim alone there and the flow counts the budget in a second step.
 */
export const CLAIM_AND_COUNT_SEND = script(
  'claimAndCountSend',
  `
${asFunction('claim_send', CLAIM_SEND)}
${asFunction('count_send', COUNT_SEND)}
local claim = claim_send({ KEYS[1], KEYS[2], KEYS[3], KEYS[4] }, { ARGV[1], ARGV[2], ARGV[3], ARGV[4], ARGV[5] })
if claim[1] ~= 'claimed' then return claim end
local keys, args = {}, {}
for i = 5, #KEYS do keys[#keys + 1] = KEYS[i] end
for i = 6, #ARGV do args[#args + 1] = ARGV[i] end
local count = count_send(keys, args)
if count[1] ~= 'counted' then redis.call('DEL', KEYS[2]) end
if count.err then return count end
return { 'claimed', count }
`,
);

/**
 * KEYS: those of the consuming `delete` (the challenge first), then those of `creditSend`. ARGV: the expected value,
 * the number of keys to delete, then `creditSend`'s ARGV. Answers 0 (not consumed), 2 (consumed and credited), or
 * 1 (consumed; the credit could not be taken, a broken count, and is left to a step of its own that reports it).
 */
export const CONSUME_AND_CREDIT = script(
  'consumeAndCredit',
  `
${asFunction('consume', DELETE)}
${asFunction('credit', CREDIT_SEND)}
local n = tonumber(ARGV[2])
local own, given = {}, {}
for i = 1, n do own[#own + 1] = KEYS[i] end
for i = n + 1, #KEYS do given[#given + 1] = KEYS[i] end
if consume(own, { ARGV[1] }) == 0 then return 0 end
local credited = credit(given, { ARGV[3], ARGV[4] })
if type(credited) == 'table' and credited.err then return 1 end
return 2
`,
);
