import { describe, expect, it } from 'vitest';
import type { EnvName, RunId } from '../../src/domain/ids.ts';
import { AuditLog } from '../../src/store/audit.ts';
import { FlagRecordStore } from '../../src/store/flag-record.ts';
import { keysFor } from '../../src/store/keys.ts';
import { RunStore } from '../../src/store/run-store.ts';
import { pollUntil } from '../helpers/poll.ts';
import { uniqueName } from '../helpers/services.ts';
import { queuedRun, useRedisKeys } from '../helpers/store.ts';

const env = 'staging' as EnvName;
const db = useRedisKeys('t');
const newRun = () => queuedRun(env);

describe('RunStore', () => {
  it('lets exactly one of many concurrent runs claim an environment', async () => {
    const store = new RunStore(db.redis, db.keys);
    const runs = Array.from({ length: 20 }, newRun);
    const claims = await Promise.all(runs.map((r) => store.claimEnvironment(r, 60_000)));
    const winners = claims.filter((c) => c.ok);
    expect(winners).toHaveLength(1);
    const holder = await store.lockHolder(env);
    for (const c of claims) if (!c.ok && 'holder' in c) expect(c.holder).toBe(holder);
    await store.releaseLock(env, holder!);
  });

  it('releases the lock when the run reaches a terminal state, and refuses a move the table has not', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
    expect((await store.enterPhase(run.id, 'phase0')).ok).toBe(true);
    const wrong = await store.decide(run.id, 'phase3', () => ({}));
    expect(wrong).toEqual({ ok: false, reason: 'wrong_state', state: 'phase0' });
    const done = await store.finish(
      run.id,
      ['phase0'],
      'failed',
      () => ({ reason: 'db.table failed' }),
      () => ({ summary: {}, auditPayload: '{}' }),
    );
    expect(done.ok && done.run.state).toBe('failed');
    expect(await store.lockHolder(env)).toBeUndefined();
    expect((await store.get(run.id))?.reason).toBe('db.table failed');
  });

  it('marks a run whose lease ran out as failed when the next run claims the environment', async () => {
    const store = new RunStore(db.redis, db.keys);
    const crashed = newRun();
    expect((await store.claimEnvironment(crashed, 50)).ok).toBe(true);
    await store.enterPhase(crashed.id, 'phase1');
    await pollUntil(async () => ((await store.lockHolder(env)) === undefined ? true : undefined), {
      what: 'lease expiry',
    });
    const next = newRun();
    const claim = await store.claimEnvironment(next, 60_000);
    expect(claim).toEqual({ ok: true, staleRunFailed: crashed.id });
    const old = await store.get(crashed.id);
    expect(old?.state).toBe('failed');
    expect(old?.reason).toMatch(/stopped renewing its lease/);
    await store.releaseLock(env, next.id);
  });

  it('leaves a dead run that may have left the flag ON to the reaper: a new start is refused', async () => {
    const store = new RunStore(db.redis, db.keys);
    const flags = new FlagRecordStore(db.redis, db.keys);
    const crashed = newRun();
    expect((await store.claimEnvironment(crashed, 50)).ok).toBe(true);
    await store.enterPhase(crashed.id, 'phase3');
    const owner = { kind: 'run' as const, runId: crashed.id };
    expect(
      await flags.recordIntent(env, { desired: 'on', owner, by: 'U1', at: new Date().toISOString() }),
    ).toBe(true);
    await pollUntil(async () => ((await store.lockHolder(env)) === undefined ? true : undefined), {
      what: 'lease expiry',
    });
    const next = newRun();
    expect(await store.claimEnvironment(next, 60_000)).toEqual({ ok: false, holder: crashed.id });
    // The dead run keeps its state for the reaper's reconcile; once OFF is verified, starts go on.
    expect((await store.get(crashed.id))?.state).toBe('phase3');
    const at = new Date().toISOString();
    // What the reaper's reconcile leaves behind: OFF, verified, still owned by the dead run.
    await db.redis.set(
      db.keys.flag(env),
      JSON.stringify({ desired: 'off', owner, by: 'U1', observed: 'off', intentAt: at, verifiedAt: at }),
    );
    expect(await store.claimEnvironment(next, 60_000)).toEqual({ ok: true, staleRunFailed: crashed.id });
    await store.releaseLock(env, next.id);
    await db.redis.del(db.keys.flag(env));
  });

  it('applies concurrent transitions one at a time: exactly one wins a contested move', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    await store.claimEnvironment(run, 60_000);
    await store.awaitApproval(run.id, () => ({}));
    const results = await Promise.all(
      Array.from({ length: 20 }, () => store.decide(run.id, 'phase3', () => ({}))),
    );
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    await store.releaseLock(env, run.id);
  });

  it('only the holder renews or releases the lease', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    await store.claimEnvironment(run, 60_000);
    expect(await store.renewLease(env, 'someoneelse' as RunId, 60_000)).toBe(false);
    expect(await store.releaseLock(env, 'someoneelse' as RunId)).toBe(false);
    expect(await store.renewLease(env, run.id, 60_000)).toBe(true);
    expect(await store.releaseLock(env, run.id)).toBe(true);
  });
});

describe('AuditLog', () => {
  it('chains entries from concurrent writers and detects an edited or removed entry', async () => {
    const audit = new AuditLog(db.redis, db.keys);
    const at = new Date().toISOString();
    await Promise.all(
      Array.from({ length: 30 }, (_, i) =>
        audit.append(env, { at, actor: `U${i}`, action: 'click', outcome: 'info' }),
      ),
    );
    expect(await audit.verify(env)).toEqual({ ok: true, entries: 30 });

    const entries = await audit.entries(env);
    const victim = entries[10]!;
    await db.redis.xdel(db.keys.audit(env), victim.id);
    const broken = await audit.verify(env);
    expect(broken.ok).toBe(false);

    // An edit: same id, different content.
    const keys2 = keysFor(uniqueName('t'));
    const audit2 = new AuditLog(db.redis, keys2);
    for (let i = 0; i < 3; i++)
      await audit2.append(env, { at, actor: 'U1', action: `a${i}`, outcome: 'info' });
    const last = (await audit2.entries(env)).at(-1)!;
    await db.redis.xdel(keys2.audit(env), last.id);
    await db.redis.xadd(
      keys2.audit(env),
      '*',
      'event',
      '{"actor":"mallory"}',
      'prev',
      last.prev,
      'hash',
      last.hash,
    );
    expect((await audit2.verify(env)).ok).toBe(false);
    await db.redis.del(keys2.audit(env), keys2.auditHead(env));
  });

  it('does not call an intact chain broken when the bot appends while it is being verified', async () => {
    const keys = keysFor(uniqueName('t'));
    const at = new Date().toISOString();
    const writer = new AuditLog(db.redis, keys);
    await writer.append(env, { at, actor: 'U1', action: 'run.start', outcome: 'info' });
    // A connection on which the bot's next append lands right after each stream read returns.
    let appended = 0;
    const busy = new Proxy(db.redis, {
      get(target, prop) {
        if (prop === 'xrange')
          return async (...args: Parameters<typeof target.xrange>) => {
            const read = await target.xrange(...args);
            await writer.append(env, { at, actor: 'U1', action: `step${appended++}`, outcome: 'info' });
            return read;
          };
        const value: unknown = Reflect.get(target, prop);
        return typeof value === 'function' ? value.bind(target) : value;
      },
    });
    const verified = await new AuditLog(busy, keys).verify(env);
    expect(verified).toMatchObject({ ok: true });
    await db.redis.del(keys.audit(env), keys.auditHead(env));
  });
});

describe('finishing a run', () => {
  it('is one command: state, report, result, history, lock and audit entry land together or not at all', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    expect((await store.claimEnvironment(run, 60_000)).ok).toBe(true);
    await store.enterPhase(run.id, 'phase3');
    const pendingBefore = await db.redis.llen(db.keys.auditPending(env));
    // Every command that reaches Redis while the run is finished, from any connection.
    const monitor = await db.redis.duplicate().monitor();
    const commands: string[] = [];
    monitor.on('monitor', (_time: string, args: string[], source: string) => {
      // Commands run inside a script show as source "lua": part of the one atomic step.
      if (source !== 'lua' && args.some((a) => a.startsWith(db.keys.prefix)))
        commands.push(String(args[0]).toLowerCase());
    });
    const ended = await store.finish(
      run.id,
      ['phase3'],
      'passed',
      () => ({ reason: 'all passed' }),
      () => ({ summary: { verdict: 'PASS' }, auditPayload: '{"action":"run.finish"}' }),
    );
    expect(ended.ok).toBe(true);
    await pollUntil(() => (commands.includes('evalsha') || commands.includes('eval') ? true : undefined), {
      what: 'the finish seen by MONITOR',
    });
    monitor.disconnect();
    // Reads before it are fine; the only write is the one script.
    expect(commands.filter((c) => !['hgetall', 'get', 'hget', 'exists', 'type'].includes(c))).toEqual([
      commands.includes('evalsha') ? 'evalsha' : 'eval',
    ]);
    expect((await store.get(run.id))?.state).toBe('passed');
    expect(await store.lockHolder(env)).toBeUndefined();
    expect(await db.redis.exists(db.keys.recorded(run.id), db.keys.latest(env), db.keys.history(env))).toBe(
      3,
    );
    expect(await db.redis.llen(db.keys.auditPending(env))).toBe(pendingBefore + 1);
  });
});

describe('notices appended by a state change', () => {
  const entry = (thread: string, text: string) => ({ key: thread, body: JSON.stringify({ text }) });
  const texts = async (thread: string) =>
    (await db.redis.xrange(db.keys.outbox(thread), '-', '+')).map(
      ([, fields]) => (JSON.parse(fields[1] ?? '{}') as { text: string }).text,
    );

  it('land with the change that wins, from the record as written; refused changes append nothing', async () => {
    const store = new RunStore(db.redis, db.keys);
    const run = newRun();
    await store.claimEnvironment(run, 60_000);
    await store.awaitApproval(run.id, () => ({}));
    // Twenty deciders at once: one change wins (in the script, past the read), one notice lands.
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        store.decide(
          run.id,
          'phase3',
          () => ({ reason: `decided by ${i}` }),
          (next) => [entry(run.id, `${next.state} v${next.version}: ${next.reason}`)],
        ),
      ),
    );
    const won = results.filter((r) => r.ok);
    expect(won).toHaveLength(1);
    const winner = won[0]!.run;
    expect(await texts(run.id)).toEqual([`phase3 v${winner.version}: ${winner.reason}`]);
    expect(await db.redis.sismember(db.keys.outboxThreads, run.id)).toBe(1);
    expect((await store.get(run.id))?.version).toBe(winner.version);

    const refused = await store.decide(
      run.id,
      'phase3',
      () => ({}),
      () => [entry(run.id, 'never')],
    );
    expect(refused.ok).toBe(false);
    const finished = await store.finish(
      run.id,
      ['phase3'],
      'passed',
      () => ({}),
      () => ({ summary: {}, auditPayload: '{}' }),
      (next) => [entry(run.id, `ended ${next.state}`)],
    );
    expect(finished.ok).toBe(true);
    const again = await store.finish(
      run.id,
      ['passed'],
      'passed',
      () => ({}),
      () => ({ summary: {}, auditPayload: '{}' }),
      () => [entry(run.id, 'ended twice')],
    );
    expect(again).toMatchObject({ ok: false, reason: 'recorded' });
    expect(await store.cancel(run, 'late', [], () => [entry(run.id, 'cancelled late')])).toMatchObject({
      ok: false,
    });
    expect(await texts(run.id)).toEqual([`phase3 v${winner.version}: ${winner.reason}`, 'ended passed']);
  });

  it('a cancel appends the notices of the outcome the script decided on', async () => {
    const store = new RunStore(db.redis, db.keys);
    const flags = new FlagRecordStore(db.redis, db.keys);
    const run = newRun();
    await store.claimEnvironment(run, 60_000);
    await store.enterPhase(run.id, 'phase3');
    // The run recorded an ON intent: its cancel must wait for the flag, `cancelling`.
    await flags.recordIntent(env, {
      desired: 'on',
      owner: { kind: 'run', runId: run.id },
      by: 'tester',
      at: new Date().toISOString(),
    });
    const cancelled = await store.cancel(run, 'Cancelled by a test.', ['queued'], (next) => [
      entry(run.id, `${next.state}: ${next.reason}`),
    ]);
    expect(cancelled).toMatchObject({ ok: true, state: 'cancelling', run: { state: 'cancelling' } });
    expect(await texts(run.id)).toEqual(['cancelling: Cancelled by a test.']);
    expect(await store.lockHolder(env)).toBe(run.id);
    await store.releaseLock(env, run.id);
  });
});
