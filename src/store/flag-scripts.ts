/**
 * The flag record's changes (desired, observed, unverified), each one script so a run that
 * lost its lock, or an owner superseded by the kill switch, writes nothing.
 */

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

/** The record at KEYS[1] if ARGV[1] (an owner key) owns its intent; nil when none or another owns it. */
const OWNED_RECORD = `${OWNER_KEY}
local function ownedRecord()
  local cur = redis.call('GET', KEYS[1])
  if not cur then return nil end
  local rec = cjson.decode(cur)
  if ownerKey(rec.owner) ~= ARGV[1] then return nil end
  return rec
end`;

/**
 * recordFlagObserved — KEYS: flag; ARGV: owner key (run:<id> | kill:<id>), observed (on|off), at.
 * What a health check saw, recorded only by the current owner of the intent (a kill switch
 * that took over wins). Seeing what was desired verifies it and clears an `unverified` mark.
 * Returns 1, or 0 when someone else owns the flag now.
 */
export const RECORD_FLAG_OBSERVED = `
${OWNED_RECORD}
local rec = ownedRecord()
if not rec then return 0 end
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
${OWNED_RECORD}
local rec = ownedRecord()
if not rec then return 0 end
if not rec.unverified then rec.unverified = { since = ARGV[2], why = ARGV[3] } end
rec.observed = 'unknown'
redis.call('SET', KEYS[1], cjson.encode(rec))
return 1
`;
