import { APPEND_OUTBOX, LISTED } from './run-scripts.ts';

/**
 * approveRun — KEYS: run, outboxThreads, outbox streams…; ARGV: approver, approval (JSON),
 * expectedVersion, decide's `from`, decided state, decide's `to`, complete ('1' = the count is
 * reached), doc, reason, updatedAt, keepSeconds, entries, then a (conversation, JSON) pair per entry.
 * One Approve, in one step (docs/architecture.md#the-runs-state-machine): only while the run
 * awaits approval (the `decide` row), a person already in the run's approval set is refused
 * (so twenty clicks of one person count once, in any process), the approver joins the set,
 * and when the caller computed that this approval completes the count (against the version it
 * read, which the script checks) the `decide` transition to Phase 3 is made in the same step.
 * Returns {1, newVersion} or {0, 'not_found'|'counted'|'conflict'|'wrong_state', currentState}.
 */
export const APPROVE_RUN = `
${LISTED}
${APPEND_OUTBOX}
if not listed(ARGV[6], ARGV[5]) then return redis.error_reply('decide may not reach ' .. ARGV[5]) end
local cur = redis.call('HMGET', KEYS[1], 'state', 'version', 'approvals')
if not cur[1] then return {0, 'not_found', ''} end
if not listed(ARGV[4], cur[1]) then return {0, 'wrong_state', cur[1]} end
local approvals = {}
if cur[3] then approvals = cjson.decode(cur[3]) end
for _, given in ipairs(approvals) do
  if given.by == ARGV[1] then return {0, 'counted', cur[1]} end
end
if cur[2] ~= ARGV[3] then return {0, 'conflict', cur[1]} end
table.insert(approvals, cjson.decode(ARGV[2]))
redis.call('HSET', KEYS[1], 'approvals', cjson.encode(approvals), 'updatedAt', ARGV[10])
if ARGV[7] == '1' then
  redis.call('HSET', KEYS[1], 'state', ARGV[5], 'doc', ARGV[8], 'reason', ARGV[9])
end
local version = redis.call('HINCRBY', KEYS[1], 'version', 1)
appendOutbox(KEYS[2], 3, 13, tonumber(ARGV[12]), ARGV[11])
return {1, tostring(version)}
`;
