import type { PhaseResult } from '../domain/phase.ts';
import type { RunRecord, SwitchOff } from '../domain/run.ts';
import { settleFlag } from '../engine/conclude-run.ts';
import { coded, message } from '../i18n/index.ts';
import type { RunVoice } from '../outbox/run-announcer.ts';
import type { ThreadNote } from '../outbox/run-notices.ts';
import { memoryLedger, type PhaseContext } from '../phases/context.ts';
import type { BotServices } from './lifecycle-deps.ts';
import type { RunWatcher } from './phase-progress.ts';
import { RECORD_GONE, type RunControl } from './run-control.ts';
import type { RunJobOutcome } from './run-pickup.ts';

/**
 * A run that is no longer ours is left alone: whoever has it now tells the story. Only when its
 * record vanished is there nobody else: the thread, the root message and a live code's DM say
 * so (Slack only; nothing is written back to Redis), and the flag is not left half-done — a
 * Phase 3 that turned it ON is rolled back as after a failure (`rollbackOnFailure`), and the
 * thread says in which state the flag was left.
 */
export async function lostRun(
  s: BotServices,
  run: RunRecord,
  reporter: RunVoice,
  control: RunControl,
  watcher: RunWatcher,
  ctx: PhaseContext,
  ran: readonly PhaseResult[],
): Promise<RunJobOutcome> {
  // The lease or job-lock check may have stopped the run before the watch saw the record gone.
  const gone =
    control.stopDetail() === RECORD_GONE ||
    (await s.runs.get(run.id).then(
      (current) => current === undefined,
      () => false,
    ));
  if (!gone) return 'done';
  s.log.warn({ runId: run.id, env: run.env }, 'run record gone from Redis: run stopped');
  if (watcher.dm)
    await reporter.say({
      kind: 'login_void',
      env: run.env,
      dm: watcher.dm,
      why: coded(message('thread.note.recordGoneDm')),
    });
  await reporter.reply(RECORD_GONE, 'warning');
  // Its own observer and ledger: the run's would write to records that no longer exist. What
  // this process did to the flag is known here even when Redis forgot it.
  const flag = {
    ...memoryLedger(),
    mayBeOn: async () => watcher.flagOn === true || (await ctx.flag.mayBeOn().catch(() => false)),
  };
  const settled = await settleFlag({ ...ctx, observer: () => undefined, flag }, ran);
  const left = flagLeftWords(run.env, settled.switchOff, watcher.flagOn);
  await reporter.reply(left.text, left.tone);
  await reporter.refresh({ ...watcher.record, state: 'failed', reason: RECORD_GONE });
  return 'done';
}

function flagLeftWords(
  env: string,
  switchOff: SwitchOff | undefined,
  flagOn: boolean | undefined,
): ThreadNote {
  if (switchOff?.ok) return { tone: 'flag_off', text: coded(message('thread.note.flagOffVerified')) };
  if (switchOff) return { tone: 'alarm', text: coded(message('thread.note.flagOffFailed', { env })) };
  if (flagOn === true) return { tone: 'alarm', text: coded(message('thread.note.flagLeftOn', { env })) };
  if (flagOn === false) return { text: coded(message('thread.note.flagLeftOff', { env })) };
  return { text: coded(message('thread.note.flagUntouched')) };
}
