/**
 * The audit trail's Lua scripts. The trail is trimmed by age only, never by count: a count
 * could be reached by anyone able to make the bot write entries. Each trim records where it cut
 * the hash chain (the hash of the newest entry removed), so `audit verify` tells a trim from a
 * gap. Stream ids are `<ms>-<seq>`, the ms from the caller's clock (`<ms>-*`, Redis 7.0+), so
 * the age is measured on one clock; `XTRIM MINID` (Redis 6.2+) removes every id below its
 * threshold, and `XREVRANGE` with an exclusive `(` bound finds the newest of them first.
 */
const AUDIT_HELPERS = `
local function addAt(stream, nowMs, ...)
  local id = redis.pcall('XADD', stream, nowMs .. '-*', ...)
  -- A clock behind the stream's last id: Redis picks the next id after it.
  if type(id) == 'table' and id.err then id = redis.call('XADD', stream, '*', ...) end
  return id
end

local function trimByAge(stream, checkpoint, minId)
  if minId == '' then return end
  local cut = redis.call('XREVRANGE', stream, '(' .. minId, '-', 'COUNT', 1)
  if #cut == 0 then return end
  local fields = cut[1][2]
  local hash = ''
  for i = 1, #fields, 2 do if fields[i] == 'hash' then hash = fields[i + 1] end end
  redis.call('SET', checkpoint, cjson.encode({ hash = hash, through = cut[1][1] }))
  redis.call('XTRIM', stream, 'MINID', minId)
end
`;

/**
 * appendAudit — KEYS: stream, head, checkpoint; ARGV: prev, payload, hash, minId ('' = keep
 * all), genesis, nowMs. Appends only while the head is still `prev`. Returns {1, id} or {0, head}.
 */
export const APPEND_AUDIT = `
${AUDIT_HELPERS}
local head = redis.call('GET', KEYS[2]) or ARGV[5]
if head ~= ARGV[1] then return {0, head} end
trimByAge(KEYS[1], KEYS[3], ARGV[4])
local id = addAt(KEYS[1], ARGV[6], 'event', ARGV[2], 'prev', ARGV[1], 'hash', ARGV[3])
redis.call('SET', KEYS[2], ARGV[3])
return {1, id}
`;

/**
 * appendPendingAudit — KEYS: stream, head, pending, checkpoint; ARGV as appendAudit, ARGV[2]
 * being the oldest pending payload. Moves it into the chain exactly once.
 * Returns {1, id}, {0, head} (the head moved) or {2, ''} (another process moved it).
 */
export const APPEND_PENDING_AUDIT = `
${AUDIT_HELPERS}
if redis.call('LINDEX', KEYS[3], 0) ~= ARGV[2] then return {2, ''} end
local head = redis.call('GET', KEYS[2]) or ARGV[5]
if head ~= ARGV[1] then return {0, head} end
trimByAge(KEYS[1], KEYS[4], ARGV[4])
local id = addAt(KEYS[1], ARGV[6], 'event', ARGV[2], 'prev', ARGV[1], 'hash', ARGV[3])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('LPOP', KEYS[3])
return {1, id}
`;

/**
 * recordRefusal — KEYS: refusals stream, the person's window; ARGV: event, windowMs, maxLen.
 * One entry per person per window: a later refusal inside it replaces the entry with one that
 * counts it (this stream is not hash-chained). The stream is capped: it holds refusals only.
 * Returns the count.
 */
export const RECORD_REFUSAL = `
local count = 1
local cur = redis.call('GET', KEYS[2])
if cur then
  local sep = string.find(cur, ' ', 1, true)
  count = tonumber(string.sub(cur, sep + 1)) + 1
  redis.call('XDEL', KEYS[1], string.sub(cur, 1, sep - 1))
end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'event', ARGV[1], 'count', count)
if cur then
  redis.call('SET', KEYS[2], id .. ' ' .. count, 'KEEPTTL')
else
  redis.call('SET', KEYS[2], id .. ' ' .. count, 'PX', ARGV[2])
end
return count
`;
