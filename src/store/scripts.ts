/**
 * The race-sensitive transitions, each one Lua script so it is atomic in Redis (and in one
 * Cluster slot, thanks to the shared hash tag). Runs are hashes: `state`, `version`, `reason`,
 * `updatedAt` as fields the scripts can test, the rest of the record as a JSON `doc`.
 */

const TERMINAL = `local terminal = { passed = true, failed = true, cancelled = true, expired = true, rolled_back = true }`;

/**
 * The outbox entries a state change reports itself with (DESIGN §4a), appended by the script
 * that makes the change and only when it succeeds, as OutboxStore.append does: XADD to the
 * conversation's stream, SADD to the index, the stream kept 7 days. The streams are KEYS (the
 * caller names them, so Redis Cluster sees every key of the script); ARGV holds, from `arg`,
 * a (conversation, JSON) pair per entry.
 * appendOutbox(threadsKey, firstKey, arg, count, keepSeconds)
 */
const APPEND_OUTBOX = `
local function appendOutbox(threads, firstKey, arg, count, keep)
  for i = 0, count - 1 do
    local stream = KEYS[firstKey + i]
    redis.call('XADD', stream, '*', 'n', ARGV[arg + 2 * i + 1])
    redis.call('SADD', threads, ARGV[arg + 2 * i])
    redis.call('EXPIRE', stream, keep)
  end
end`;

/**
 * claimEnvironment — KEYS: lock, current, newRun, withdrawn, flag; ARGV: runId, leaseMs, doc, state, updatedAt, staleReason, runKeyPrefix.
 * Takes the environment's lock for a new run. A previous run that lost its lock (its worker
 * died and the lease ran out) but never reached a terminal state is marked failed here. The
 * environment's previous `current` is kept in the run, so a withdrawn claim can put it back.
 * Returns {1, staleRunId or ''} or {0, holderRunId}; {0, ''} when the start was already
 * withdrawn (a claim that reached Redis after its caller gave up on it); {0, '', 'unverified'}
 * while the environment's flag is unverified (only the kill switch may act then).
 */
export const CLAIM_ENVIRONMENT = `
${TERMINAL}
if redis.call('EXISTS', KEYS[4]) == 1 then return {0, ''} end
local flag = redis.call('GET', KEYS[5])
if flag and cjson.decode(flag).unverified then return {0, '', 'unverified'} end
local holder = redis.call('GET', KEYS[1])
if holder then return {0, holder} end
local stale = ''
local previous = redis.call('GET', KEYS[2])
if previous then
  local prevKey = ARGV[7] .. previous
  local state = redis.call('HGET', prevKey, 'state')
  if state and not terminal[state] then
    redis.call('HSET', prevKey, 'state', 'failed', 'reason', ARGV[6], 'updatedAt', ARGV[5])
    redis.call('HINCRBY', prevKey, 'version', 1)
    stale = previous
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'state', ARGV[4], 'version', 1, 'doc', ARGV[3], 'reason', '', 'updatedAt', ARGV[5], 'previous', previous or '')
return {1, stale}
`;

/**
 * withdrawClaim — KEYS: lock, current, run, withdrawn; ARGV: runId, markerMs.
 * Takes back a start whose requester was told it did not happen (Redis failed them mid-way):
 * marks it withdrawn (so a claim still on its way is refused when it lands) and, when the
 * claim did land and nothing took the run further (still queued, version 1), removes the run,
 * frees the lock and gives the environment its previous current run back.
 * Returns 1 when a claim was removed, 0 when there was none.
 */
export const WITHDRAW_CLAIM = `
redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
local run = redis.call('HMGET', KEYS[3], 'state', 'version', 'previous')
if run[1] ~= 'queued' or run[2] ~= '1' then return 0 end
redis.call('DEL', KEYS[3])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  if run[3] and run[3] ~= '' then redis.call('SET', KEYS[2], run[3]) else redis.call('DEL', KEYS[2]) end
end
return 1
`;

/**
 * transitionRun — KEYS: run, lock, outboxThreads, outbox streams…; ARGV: expectedVersion ('' = any),
 * allowedStates (comma list), newState, doc ('' = keep), reason, updatedAt, runId, keepSeconds,
 * entries, then a (conversation, JSON) pair per entry.
 * Compare-and-set on the run's state and version; a terminal state releases the lock it holds;
 * the notices that report the change are appended with it (see APPEND_OUTBOX).
 * Returns {1, newVersion} or {0, 'not_found'|'conflict'|'wrong_state', currentState}.
 */
export const TRANSITION_RUN = `
${TERMINAL}
${APPEND_OUTBOX}
local cur = redis.call('HMGET', KEYS[1], 'state', 'version')
if not cur[1] then return {0, 'not_found', ''} end
if ARGV[1] ~= '' and cur[2] ~= ARGV[1] then return {0, 'conflict', cur[1]} end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == cur[1] then allowed = true end end
if not allowed then return {0, 'wrong_state', cur[1]} end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'reason', ARGV[5], 'updatedAt', ARGV[6])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'doc', ARGV[4]) end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
if terminal[ARGV[3]] and redis.call('GET', KEYS[2]) == ARGV[7] then redis.call('DEL', KEYS[2]) end
appendOutbox(KEYS[3], 4, 10, tonumber(ARGV[9]), ARGV[8])
return {1, tostring(version)}
`;

/** renewLease — KEYS: lock (or any hold); ARGV: holder, ms. Only the holder renews; a lapsed hold is not taken back. Returns 1 or 0. */
export const RENEW_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end
return 0
`;

/**
 * takeHold — KEYS: hold; ARGV: owner, ms. Takes or renews a hold (a run's execution hold, a
 * notifier's lease on a conversation) for `owner`. Returns 1, or 0 while another owner has it.
 */
export const TAKE_HOLD = `
local h = redis.call('GET', KEYS[1])
if h and h ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/** releaseLock — KEYS: lock (or any hold); ARGV: holder. Only the holder releases. Returns 1 or 0. */
export const RELEASE_LOCK = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;

/**
 * resumeLease — KEYS: lock, run; ARGV: runId, leaseMs.
 * A worker that picks a run up (first time, or after another worker died or handed it back)
 * takes the lease again — only while the run is not finished and no other run holds the lock.
 * Returns 1 or 0.
 */
export const RESUME_LEASE = `
${TERMINAL}
local state = redis.call('HGET', KEYS[2], 'state')
if not state or terminal[state] then return 0 end
local holder = redis.call('GET', KEYS[1])
if holder and holder ~= ARGV[1] then return 0 end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return 1
`;

/**
 * recordFlagIntent — KEYS: flag, lock; ARGV: record (JSON), runId ('' for the kill switch).
 * Written before the env file is touched: a run may only intend while it holds the
 * environment's lock (a fenced worker writes nothing); the kill switch always may. An
 * `unverified` mark survives a new intent: only a verification clears it.
 * Returns 1, or 0 when the run no longer holds the lock.
 */
export const RECORD_FLAG_INTENT = `
if ARGV[2] ~= '' and redis.call('GET', KEYS[2]) ~= ARGV[2] then return 0 end
local rec = cjson.decode(ARGV[1])
local cur = redis.call('GET', KEYS[1])
if cur then
  local old = cjson.decode(cur)
  if old.unverified then rec.unverified = old.unverified end
end
redis.call('SET', KEYS[1], cjson.encode(rec))
return 1
`;

const OWNER_KEY = `local function ownerKey(o) if o.kind == 'run' then return 'run:' .. o.runId end return 'kill:' .. o.offId end`;

/**
 * recordFlagObserved — KEYS: flag; ARGV: owner key (run:<id> | kill:<id>), observed (on|off), at.
 * What a health check saw, recorded only by the current owner of the intent (a kill switch
 * that took over wins). Seeing what was desired verifies it and clears an `unverified` mark.
 * Returns 1, or 0 when someone else owns the flag now.
 */
export const RECORD_FLAG_OBSERVED = `
${OWNER_KEY}
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local rec = cjson.decode(cur)
if ownerKey(rec.owner) ~= ARGV[1] then return 0 end
rec.observed = ARGV[2]
if rec.observed == rec.desired then
  rec.verifiedAt = ARGV[3]
  rec.unverified = nil
end
redis.call('SET', KEYS[1], cjson.encode(rec))
return 1
`;

/**
 * markFlagUnverified — KEYS: flag; ARGV: owner key, since, why.
 * Reconciliation could not verify the flag: no run may start until it is verified (the kill
 * switch may always act). Kept on the first mark's `since`. Returns 1, or 0 when not the owner.
 */
export const MARK_FLAG_UNVERIFIED = `
${OWNER_KEY}
local cur = redis.call('GET', KEYS[1])
if not cur then return 0 end
local rec = cjson.decode(cur)
if ownerKey(rec.owner) ~= ARGV[1] then return 0 end
if not rec.unverified then rec.unverified = { since = ARGV[2], why = ARGV[3] } end
rec.observed = 'unknown'
redis.call('SET', KEYS[1], cjson.encode(rec))
return 1
`;

/**
 * finishRun — KEYS: run, lock, recorded, latest, history, envs, auditPending, outboxThreads,
 * outbox streams…; ARGV: expectedVersion, allowedStates, newState, doc, reason, updatedAt, runId,
 * summary, historyCap, auditPayload, recordedTtlS, env, keepSeconds, entries, then a
 * (conversation, JSON) pair per entry.
 * The end of a run in one step: terminal state and report, the lock released, the result as
 * latest and in the history, its audit entry queued (appended to the hash chain right after,
 * by whoever flushes the queue) and the notices that say so in its thread. A crash can no
 * longer leave a report without a result, nor an end nobody is told of.
 * Returns {1, version}, {0, 'recorded'} (ended already), or {0, 'not_found'|'conflict'|'wrong_state', state}.
 */
export const FINISH_RUN = `
${APPEND_OUTBOX}
local cur = redis.call('HMGET', KEYS[1], 'state', 'version')
if not cur[1] then return {0, 'not_found', ''} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {0, 'recorded', cur[1]} end
if ARGV[1] ~= '' and cur[2] ~= ARGV[1] then return {0, 'conflict', cur[1]} end
local allowed = false
for s in string.gmatch(ARGV[2], '[^,]+') do if s == cur[1] then allowed = true end end
if not allowed then return {0, 'wrong_state', cur[1]} end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'doc', ARGV[4], 'reason', ARGV[5], 'updatedAt', ARGV[6])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
if redis.call('GET', KEYS[2]) == ARGV[7] then redis.call('DEL', KEYS[2]) end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[11])
redis.call('SET', KEYS[4], ARGV[8])
redis.call('LPUSH', KEYS[5], ARGV[8])
redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[9]) - 1)
redis.call('SADD', KEYS[6], ARGV[12])
redis.call('RPUSH', KEYS[7], ARGV[10])
appendOutbox(KEYS[8], 9, 15, tonumber(ARGV[14]), ARGV[13])
return {1, tostring(version)}
`;

/**
 * cancelRun — KEYS: run, lock, flag, outboxThreads, outbox streams if cancelled…, outbox streams
 * if cancelling…; ARGV: allowedStates, reason, updatedAt, runId, idleStates, expectedVersion
 * ('' = any), keepSeconds, entries if cancelled, entries if cancelling, then a (conversation,
 * JSON) pair per entry (the `cancelled` ones first).
 * A cancel decided against the flag record in the same step as a flag intent would be: a run
 * nobody works on, or whose flag is untouched or verified OFF, ends `cancelled` (the lock is
 * released, so a late intent of its worker is refused); a run that may have switched the flag
 * becomes `cancelling` and keeps the environment until its worker verifies the flag OFF. The
 * caller cannot know which beforehand, so it passes the notices of both and the outcome's are
 * appended.
 * Returns {1, newState} or {0, 'not_found'|'conflict'|'wrong_state', state}.
 */
export const CANCEL_RUN = `
${APPEND_OUTBOX}
local cur = redis.call('HMGET', KEYS[1], 'state', 'version')
local state = cur[1]
if not state then return {0, 'not_found', ''} end
if ARGV[6] ~= '' and cur[2] ~= ARGV[6] then return {0, 'conflict', state} end
local allowed = false
for s in string.gmatch(ARGV[1], '[^,]+') do if s == state then allowed = true end end
if not allowed or state == 'cancelling' then return {0, 'wrong_state', state} end
local idle = false
for s in string.gmatch(ARGV[5], '[^,]+') do if s == state then idle = true end end
local settled = idle
if not settled then
  local flag = redis.call('GET', KEYS[3])
  if not flag then settled = true else
    local rec = cjson.decode(flag)
    settled = rec.owner.kind ~= 'run' or rec.owner.runId ~= ARGV[4] or (rec.desired == 'off' and rec.observed == 'off')
  end
end
local to = settled and 'cancelled' or 'cancelling'
redis.call('HSET', KEYS[1], 'state', to, 'reason', ARGV[2], 'updatedAt', ARGV[3])
redis.call('HINCRBY', KEYS[1], 'version', 1)
if to == 'cancelled' and redis.call('GET', KEYS[2]) == ARGV[4] then redis.call('DEL', KEYS[2]) end
local ifCancelled = tonumber(ARGV[8])
if to == 'cancelled' then
  appendOutbox(KEYS[4], 5, 10, ifCancelled, ARGV[7])
else
  appendOutbox(KEYS[4], 5 + ifCancelled, 10 + 2 * ifCancelled, tonumber(ARGV[9]), ARGV[7])
end
return {1, to}
`;

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

/** releaseWatchLease — KEYS: lease; ARGV: holder. Deletes the lease only if `holder` still has it. */
export const RELEASE_WATCH_LEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
