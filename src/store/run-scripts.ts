/**
 * A run's transitions, each one Lua script so it is atomic in Redis (and in one Cluster slot,
 * thanks to the shared hash tag). Runs are hashes: `state`, `version`, `reason`, `updatedAt` as
 * fields the scripts can test, the rest of the record as a JSON `doc`. Every script that moves a
 * state is handed its row of the transition table (`from` and `to`, comma lists) and refuses
 * any other move (docs/architecture.md).
 */

const TERMINAL = `local terminal = { passed = true, failed = true, cancelled = true, expired = true, rolled_back = true }`;

export const LISTED = `local function listed(list, s)
  for x in string.gmatch(list, '[^,]+') do if x == s then return true end end
  return false
end`;

/**
 * The outbox entries a state change reports itself with, appended by the script that makes the
 * change and only when it succeeds, as OutboxStore.append does: XADD to the conversation's
 * stream, SADD to the index, the stream kept 7 days. The streams are KEYS (the caller names
 * them, so Redis Cluster sees every key of the script); ARGV holds, from `arg`, a
 * (conversation, JSON) pair per entry.
 * appendOutbox(threadsKey, firstKey, arg, count, keepSeconds)
 */
export const APPEND_OUTBOX = `
local function appendOutbox(threads, firstKey, arg, count, keep)
  for i = 0, count - 1 do
    local stream = KEYS[firstKey + i]
    redis.call('XADD', stream, '*', 'n', ARGV[arg + 2 * i + 1])
    redis.call('SADD', threads, ARGV[arg + 2 * i])
    redis.call('EXPIRE', stream, keep)
  end
end`;

/**
 * claimEnvironment — KEYS: lock, current, newRun, withdrawn, flag, auditPending, outboxThreads,
 * outbox streams…; ARGV: runId, leaseMs, doc, state, updatedAt, staleReason, runKeyPrefix,
 * claim's `to`, failStale's `from`, auditPayload ('' = none), keepSeconds, entries, then a
 * (conversation, JSON) pair per entry.
 * Takes the environment's lock for a new run, queues its audit entry and appends its root
 * notice, in one step: a crash after it leaves a run the reaper can hand to a worker, never a
 * locked environment nobody was told of. A previous run that lost its lock (its worker died and
 * the lease ran out) but never reached a terminal state is marked failed here. The
 * environment's previous `current` is kept in the run, so a withdrawn claim can put it back.
 * Returns {1, staleRunId or ''} or {0, holderRunId}; {0, ''} when the start was already
 * withdrawn (a claim that reached Redis after its caller gave up on it); {0, '', 'unverified'}
 * while the environment's flag is unverified (only the kill switch may act then).
 */
export const CLAIM_ENVIRONMENT = `
${LISTED}
${APPEND_OUTBOX}
if not listed(ARGV[8], ARGV[4]) then return redis.error_reply('a claim may not start a run in ' .. ARGV[4]) end
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
  if state and listed(ARGV[9], state) then
    -- A dead run that may have left the flag ON (its intent not settled OFF) is the reaper's to
    -- reconcile: a new run taking the lock now would leave that intent with nobody to settle it.
    if flag then
      local record = cjson.decode(flag)
      local owner = record.owner or {}
      if owner.kind == 'run' and owner.runId == previous and (record.desired == 'on' or record.observed ~= 'off') then
        return {0, previous}
      end
    end
    redis.call('HSET', prevKey, 'state', 'failed', 'reason', ARGV[6], 'updatedAt', ARGV[5])
    redis.call('HINCRBY', prevKey, 'version', 1)
    stale = previous
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
redis.call('SET', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[3], 'state', ARGV[4], 'version', 1, 'doc', ARGV[3], 'reason', '', 'updatedAt', ARGV[5], 'previous', previous or '')
if ARGV[10] ~= '' then redis.call('RPUSH', KEYS[6], ARGV[10]) end
appendOutbox(KEYS[7], 8, 13, tonumber(ARGV[12]), ARGV[11])
return {1, stale}
`;

/**
 * withdrawClaim — KEYS: lock, current, run, withdrawn, run's outbox stream, outboxThreads;
 * ARGV: runId, markerMs.
 * Takes back a start whose requester was told it did not happen (Redis failed them mid-way):
 * marks it withdrawn (so a claim still on its way is refused when it lands) and, when the
 * claim did land and nothing took the run further (still queued, version 1), removes the run
 * and the root notice its claim appended, frees the lock and gives the environment its
 * previous current run back.
 * Returns 1 when a claim was removed, 0 when there was none.
 */
export const WITHDRAW_CLAIM = `
redis.call('SET', KEYS[4], '1', 'PX', ARGV[2])
local run = redis.call('HMGET', KEYS[3], 'state', 'version', 'previous')
if run[1] ~= 'queued' or run[2] ~= '1' then return 0 end
redis.call('DEL', KEYS[3])
redis.call('DEL', KEYS[5])
redis.call('SREM', KEYS[6], ARGV[1])
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
if redis.call('GET', KEYS[2]) == ARGV[1] then
  if run[3] and run[3] ~= '' then redis.call('SET', KEYS[2], run[3]) else redis.call('DEL', KEYS[2]) end
end
return 1
`;

/**
 * transitionRun — KEYS: run, lock, outboxThreads, outbox streams…; ARGV: expectedVersion ('' = any),
 * from (comma list), newState, doc ('' = keep), reason, updatedAt, runId, to (comma list),
 * keepSeconds, entries, then a (conversation, JSON) pair per entry.
 * Compare-and-set on the run's state and version, only along the transition's row of the
 * table; a terminal state releases the lock it holds; the notices that report the change are
 * appended with it (see APPEND_OUTBOX).
 * Returns {1, newVersion} or {0, 'not_found'|'conflict'|'wrong_state', currentState}.
 */
export const TRANSITION_RUN = `
${TERMINAL}
${LISTED}
${APPEND_OUTBOX}
if not listed(ARGV[8], ARGV[3]) then return redis.error_reply('this transition may not reach ' .. ARGV[3]) end
local cur = redis.call('HMGET', KEYS[1], 'state', 'version')
if not cur[1] then return {0, 'not_found', ''} end
if ARGV[1] ~= '' and cur[2] ~= ARGV[1] then return {0, 'conflict', cur[1]} end
if not listed(ARGV[2], cur[1]) then return {0, 'wrong_state', cur[1]} end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'reason', ARGV[5], 'updatedAt', ARGV[6])
if ARGV[4] ~= '' then redis.call('HSET', KEYS[1], 'doc', ARGV[4]) end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
if terminal[ARGV[3]] and redis.call('GET', KEYS[2]) == ARGV[7] then redis.call('DEL', KEYS[2]) end
appendOutbox(KEYS[3], 4, 11, tonumber(ARGV[10]), ARGV[9])
return {1, tostring(version)}
`;

/**
 * finishRun — KEYS: run, lock, recorded, latest, history, envs, auditPending, outboxThreads,
 * outbox streams…; ARGV: expectedVersion, from, newState, doc, reason, updatedAt, runId,
 * summary, historyCap, auditPayload, recordedTtlS, env, to, keepSeconds, entries, then a
 * (conversation, JSON) pair per entry.
 * The end of a run in one step: terminal state and report, the lock released, the result as
 * latest and in the history, its audit entry queued (appended to the hash chain right after,
 * by whoever flushes the queue) and the notices that say so in its thread. A crash can no
 * longer leave a report without a result, nor an end nobody is told of.
 * Returns {1, version}, {0, 'recorded'} (ended already), or {0, 'not_found'|'conflict'|'wrong_state', state}.
 */
export const FINISH_RUN = `
${LISTED}
${APPEND_OUTBOX}
if not listed(ARGV[13], ARGV[3]) then return redis.error_reply('a run may not end in ' .. ARGV[3]) end
local cur = redis.call('HMGET', KEYS[1], 'state', 'version')
if not cur[1] then return {0, 'not_found', ''} end
if redis.call('EXISTS', KEYS[3]) == 1 then return {0, 'recorded', cur[1]} end
if ARGV[1] ~= '' and cur[2] ~= ARGV[1] then return {0, 'conflict', cur[1]} end
if not listed(ARGV[2], cur[1]) then return {0, 'wrong_state', cur[1]} end
redis.call('HSET', KEYS[1], 'state', ARGV[3], 'doc', ARGV[4], 'reason', ARGV[5], 'updatedAt', ARGV[6])
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
if redis.call('GET', KEYS[2]) == ARGV[7] then redis.call('DEL', KEYS[2]) end
redis.call('SET', KEYS[3], '1', 'EX', ARGV[11])
redis.call('SET', KEYS[4], ARGV[8])
redis.call('LPUSH', KEYS[5], ARGV[8])
redis.call('LTRIM', KEYS[5], 0, tonumber(ARGV[9]) - 1)
redis.call('SADD', KEYS[6], ARGV[12])
redis.call('RPUSH', KEYS[7], ARGV[10])
appendOutbox(KEYS[8], 9, 16, tonumber(ARGV[15]), ARGV[14])
return {1, tostring(version)}
`;

/**
 * cancelRun — KEYS: run, lock, flag, outboxThreads, outbox streams if cancelled…, outbox streams
 * if cancelling…; ARGV: cancel's `from`, reason, updatedAt, runId, idleStates, expectedVersion
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
${LISTED}
${APPEND_OUTBOX}
local cur = redis.call('HMGET', KEYS[1], 'state', 'version')
local state = cur[1]
if not state then return {0, 'not_found', ''} end
if ARGV[6] ~= '' and cur[2] ~= ARGV[6] then return {0, 'conflict', state} end
if not listed(ARGV[1], state) then return {0, 'wrong_state', state} end
local settled = listed(ARGV[5], state)
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
