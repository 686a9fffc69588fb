/** The day-2 watch's writes, made only by the process that holds the environment's watch lease. */

/**
 * recordWatchProbe — KEYS: watch, lease; ARGV: state (JSON, without since/probes/announced), holder, at.
 * Stores a probe's finding, only while `holder` still holds the environment's watch lease (a
 * probe that outlived its lease writes nothing). `since` moves only when the state key
 * (status, and the cause kind while failing) changes; `announced` is kept.
 * Returns {1, announced or ''} or {0, ''} when the lease was lost.
 */
export const RECORD_WATCH_PROBE = `
if redis.call('GET', KEYS[2]) ~= ARGV[2] then return {0, ''} end
local next = cjson.decode(ARGV[1])
local prev = redis.call('GET', KEYS[1])
local function key(s)
  if s.status == 'failing' then return 'failing:' .. ((s.cause and s.cause.kind) or 'unknown') end
  return s.status
end
next.since = ARGV[3]
next.probes = 1
if prev then
  local old = cjson.decode(prev)
  if key(old) == key(next) and old.since then next.since = old.since end
  next.probes = (tonumber(old.probes) or 0) + 1
  if old.announced and next.status ~= 'idle' then next.announced = old.announced end
  if not next.lastSyncAt and old.lastSyncAt then next.lastSyncAt = old.lastSyncAt end
end
redis.call('SET', KEYS[1], cjson.encode(next))
return {1, next.announced or ''}
`;

/**
 * markWatchAnnounced — KEYS: watch; ARGV: stateKey.
 * The change to `stateKey` was posted: it is not posted again while the state holds. Ignored
 * when the state moved on meanwhile (that newer state is still to be posted).
 * Returns 1 when marked, 0 otherwise.
 */
export const MARK_WATCH_ANNOUNCED = `
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local s = cjson.decode(cur)
local key = s.status
if s.status == 'failing' then key = 'failing:' .. ((s.cause and s.cause.kind) or 'unknown') end
if key ~= ARGV[1] then return 0 end
s.announced = ARGV[1]
redis.call('SET', KEYS[1], cjson.encode(s))
return 1
`;
