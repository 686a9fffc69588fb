/**
 * The audit chain's appends: each entry carries the hash of the one before, so a script
 * appends only while the chain's head is still the one the hash was computed against.
 */

/**
 * appendAudit — KEYS: stream, head; ARGV: prev, payload, hash, maxLen, genesis.
 * Appends only when the chain head is still `prev` (the hash was computed against it), so two
 * writers can never both chain onto the same entry. Returns {1, id} or {0, currentHead}.
 */
export const APPEND_AUDIT = `
local head = redis.call('GET', KEYS[2]) or ARGV[5]
if head ~= ARGV[1] then return {0, head} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'event', ARGV[2], 'prev', ARGV[1], 'hash', ARGV[3])
redis.call('SET', KEYS[2], ARGV[3])
return {1, id}
`;

/**
 * appendPendingAudit — KEYS: stream, head, pending; ARGV: prev, payload, hash, maxLen, genesis.
 * Moves the oldest queued audit entry into the chain, once: only while it is still first in
 * the queue and the head is still `prev`. Returns {1, id}, {0, head} or {2, ''} (not first any more).
 */
export const APPEND_PENDING_AUDIT = `
if redis.call('LINDEX', KEYS[3], 0) ~= ARGV[2] then return {2, ''} end
local head = redis.call('GET', KEYS[2]) or ARGV[5]
if head ~= ARGV[1] then return {0, head} end
local id = redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[4], '*', 'event', ARGV[2], 'prev', ARGV[1], 'hash', ARGV[3])
redis.call('SET', KEYS[2], ARGV[3])
redis.call('LPOP', KEYS[3])
return {1, id}
`;
