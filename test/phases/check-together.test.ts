import { describe, expect, it } from 'vitest';
import { pass } from '../../src/domain/check.ts';
import type { DriverPhrases } from '../../src/hunter/phrases.ts';
import { translator } from '../../src/i18n/translate.ts';
import { DB_MIGRATE, DB_TABLE, ENV_VARS } from '../../src/phases/checks.ts';
import type { RunEvent } from '../../src/phases/events.ts';
import { PhaseRun } from '../../src/phases/runner.ts';

/** A promise the test settles by hand: the order of events is decided by the test, not by timers. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

function phaseRun(events: string[], signal = new AbortController().signal): PhaseRun {
  const observer = async (event: RunEvent) => {
    if (event.kind === 'check_started') events.push(`started ${event.id}`);
    if (event.kind === 'check_finished') events.push(`finished ${event.result.id}`);
  };
  const say: DriverPhrases = {
    restart: 'restart',
    recreate: 'recreate',
    restartKeepsOldEnv: 'recreate',
    apiLogs: 'api logs',
    workerLogs: 'worker logs',
    status: 'status',
    apiEnvironment: 'env',
    execInApi: 'exec',
    program: 'program',
  };
  return new PhaseRun(0, observer, signal, (text) => text, say, translator('en'));
}

describe('checks the runbook does not order', () => {
  it('run at once, and are recorded in the runbook order only when all have ended', async () => {
    const events: string[] = [];
    const phase = phaseRun(events);
    const migration = deferred<void>();
    const migrationStarted = deferred<void>();
    const together = phase.checkTogether([
      {
        spec: ENV_VARS,
        body: async () => {
          // Ends only once the migration has begun, and lets it end: the two overlap, or this hangs.
          await migrationStarted.promise;
          migration.resolve();
          return pass('vars seen');
        },
      },
      {
        spec: DB_MIGRATE,
        body: async () => {
          migrationStarted.resolve();
          await migration.promise;
          return pass('migrated');
        },
      },
    ]);
    const results = await together;
    expect(results.map((r) => r.id)).toEqual(['env.vars', 'db.migrate']);
    // No check_finished (a shutdown's safe point) before every check of the group has ended.
    expect(events).toEqual([
      'started env.vars',
      'started db.migrate',
      'finished env.vars',
      'finished db.migrate',
    ]);
    await phase.check(DB_TABLE, async () => pass('table'), [results[1]]);
    expect(phase.results().map((r) => r.id)).toEqual(['env.vars', 'db.migrate', 'db.table']);
  });

  it('skips a check whose needs failed without starting it, and still runs the rest', async () => {
    const events: string[] = [];
    const phase = phaseRun(events);
    const [vars, migrate] = await phase.checkTogether([
      { spec: ENV_VARS, body: async () => pass('vars'), needs: [undefined] },
      { spec: DB_MIGRATE, body: async () => pass('migrated') },
    ]);
    expect(vars?.status).toBe('skip');
    expect(migrate?.status).toBe('pass');
    expect(events).toEqual(['started db.migrate', 'finished env.vars', 'finished db.migrate']);
  });
});
