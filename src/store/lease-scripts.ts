/**
 * Holds and leases: an environment's lock, a run's execution hold, a notifier's or a watch's
 * lease — a key that names its holder and lapses unless renewed. Atomic in Redis, one key each.
 */

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

/** releaseHold — KEYS: lock, hold or lease; ARGV: holder. Only the holder releases. Returns 1 or 0. */
export const RELEASE_HOLD = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`;
