import { describe, expect, it } from 'vitest';
import type { PhaseResult } from '../../src/domain/phase.ts';
import { concludeRun } from '../../src/engine/conclude-run.ts';
import type { RunEvent } from '../../src/engine/run-events.ts';
import type { FlagLedger } from '../../src/phases/context.ts';
import { fakeEnv, fakeRun, ok } from '../helpers/fake-target.ts';

/** A ledger whose worker lost its hold after Phase 3 wrote ON: the rollback's intent is refused. */
function fencedAfterOn(): FlagLedger & { marked: string[] } {
  let fenced = false;
  const marked: string[] = [];
  return {
    marked,
    intend: async (on) => {
      if (on) return true;
      fenced = true;
      return false;
    },
    observed: async () => undefined,
    mayBeOn: async () => true,
    unverified: async (why) => {
      marked.push(why);
    },
    fenced: () => fenced,
  };
}

const FAILED_PHASE3: PhaseResult = { phase: 3, title: 'Phase 3', status: 'fail', checks: [] };

describe('a rollback whose worker is fenced out (its job-lock renewal went stale)', () => {
  it('writes nothing, marks nothing and announces no end: the run goes back to the queue to be rolled back', async () => {
    const run = fakeRun(
      { envText: 'HUNTER_PARTNER_CENTER_ENABLED=true\n', commands: () => ok() },
      fakeEnv('    policy: { rollbackOnFailure: true }'),
    );
    const ledger = fencedAfterOn();
    const events: RunEvent[] = [];
    const report = await concludeRun({
      ctx: { ...run.ctx, flag: ledger, observer: async (e) => void events.push(e) },
      runId: 'r1' as never,
      startedAt: new Date('2026-12-02T12:00:00Z'),
      ran: [FAILED_PHASE3],
    });
    expect(ledger.fenced()).toBe(true);
    expect(ledger.marked).toEqual([]);
    expect(events.filter((e) => e.kind === 'finished')).toEqual([]);
    expect(run.actions.filter((a) => a.kind === 'apply')).toEqual([]);
    expect(await run.ctx.target.envFile.read()).toBe('HUNTER_PARTNER_CENTER_ENABLED=true\n');
    expect(report.state).toBe('failed');
  });
});
