import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import type { EnvName } from '../../src/domain/ids.ts';
import { AuditLog, canonical } from '../../src/store/audit.ts';
import { useRedisKeys } from '../helpers/store.ts';

const DAY_MS = 86_400_000;
const db = useRedisKeys('audit');
let envCount = 0;
const freshEnv = () => `env${envCount++}` as EnvName;

/** A clock the test moves: the audit trail's age is measured on it. */
function steppedClock() {
  let skipped = 0;
  return {
    now: () => new Date(Date.now() + skipped),
    advance: (ms: number) => {
      skipped += ms;
    },
  };
}

async function append(audit: AuditLog, env: EnvName, action: string) {
  return audit.append(env, {
    at: new Date().toISOString(),
    actor: 'U0ALICE0001',
    action,
    outcome: 'accepted',
  });
}

describe('the audit trail, trimmed by age only', () => {
  it('keeps every entry, however many, until they are older than audit.retain', async () => {
    const env = freshEnv();
    // 10,200 chained entries written in one pipeline (appending them one by one takes minutes).
    const pipeline = db.redis.pipeline();
    let prev = '0'.repeat(64);
    for (let i = 0; i < 10_200; i++) {
      const payload = canonical({
        at: new Date().toISOString(),
        actor: 'U0ALICE0001',
        action: `step${i}`,
        outcome: 'info',
      });
      const hash = createHash('sha256').update(prev).update('\n').update(payload).digest('hex');
      pipeline.xadd(db.keys.audit(env), '*', 'event', payload, 'prev', prev, 'hash', hash);
      prev = hash;
    }
    pipeline.set(db.keys.auditHead(env), prev);
    await pipeline.exec();
    const audit = new AuditLog(db.redis, db.keys, { retainMs: 30 * DAY_MS });
    // Well past the old cap of about 10,000 entries, the next append trims nothing.
    await append(audit, env, 'one more');
    const entries = await audit.entries(env);
    expect(entries).toHaveLength(10_201);
    expect(entries[0]?.action).toBe('step0');
    expect(await audit.verify(env)).toEqual({ ok: true, entries: 10_201 });
  });

  it('trims what is older than the retention, records where it cut, and verify tells the trim from a gap', async () => {
    const env = freshEnv();
    const clock = steppedClock();
    const audit = new AuditLog(db.redis, db.keys, { retainMs: 400 * DAY_MS, now: clock.now });
    for (let i = 0; i < 5; i++) await append(audit, env, `old${i}`);
    const newestOld = (await audit.entries(env)).at(-1)!;
    clock.advance(401 * DAY_MS);
    await append(audit, env, 'new0');
    await append(audit, env, 'new1');
    expect((await audit.entries(env)).map((e) => e.action)).toEqual(['new0', 'new1']);
    expect(await audit.verify(env)).toEqual({ ok: true, entries: 2, trimmedThrough: newestOld.id });
  });

  it('fails verify when the oldest entries were removed and no trim was recorded', async () => {
    const env = freshEnv();
    const audit = new AuditLog(db.redis, db.keys);
    for (let i = 0; i < 4; i++) await append(audit, env, `step${i}`);
    const [first] = await audit.entries(env);
    await db.redis.xdel(db.keys.audit(env), first!.id);
    expect(await audit.verify(env)).toMatchObject({
      ok: false,
      problem: 'entries before the oldest kept are missing, and no trim by age was recorded',
    });
  });

  it('fails verify when an entry after a trim is removed', async () => {
    const env = freshEnv();
    const clock = steppedClock();
    const audit = new AuditLog(db.redis, db.keys, { retainMs: DAY_MS, now: clock.now });
    await append(audit, env, 'old');
    clock.advance(2 * DAY_MS);
    for (let i = 0; i < 3; i++) await append(audit, env, `new${i}`);
    const [first] = await audit.entries(env);
    await db.redis.xdel(db.keys.audit(env), first!.id);
    expect((await audit.verify(env)).ok).toBe(false);
  });
});

describe('refusals of people on no list', () => {
  it('are one entry with a count per person a minute, apart from the trail', async () => {
    const env = freshEnv();
    const audit = new AuditLog(db.redis, db.keys);
    await append(audit, env, 'run.start');
    const refusal = {
      at: new Date().toISOString(),
      actor: 'U0MALLORY01',
      action: 'run.start',
      detail: 'not listed',
    };
    for (let i = 0; i < 50; i++) await audit.refusals.record(env, refusal);
    await audit.refusals.record(env, { ...refusal, actor: 'U0EVE000001' });
    expect(await audit.refusals.entries(env)).toEqual([
      expect.objectContaining({ actor: 'U0MALLORY01', count: 50 }),
      expect.objectContaining({ actor: 'U0EVE000001', count: 1 }),
    ]);
    expect((await audit.entries(env)).map((e) => e.action)).toEqual(['run.start']);
    expect(await audit.verify(env)).toEqual({ ok: true, entries: 1 });
  });
});
