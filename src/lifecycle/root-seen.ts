import type { EnvironmentConfig } from '../config/config.ts';
import type { RunRecord } from '../domain/run.ts';
import { coded, message } from '../i18n/index.ts';
import { pollWithBackoff } from '../util/backoff.ts';
import { systemClock } from '../util/clock.ts';
import { endedReport, finishRun } from './finish-run.ts';
import type { BotServices } from './lifecycle-deps.ts';

/** How long a run of a `requireApproval` environment waits for its root message before Phase 0. */
export const ROOT_MESSAGE_WAIT_MS = 60_000;

/**
 * A run of an environment that needs a second person must be seen: its root message is in the
 * channel before anything changes. The notifier posts it (later, from the outbox) and records on
 * the run either where it is or that Slack refused it for good (the bot is not in the channel);
 * the worker waits for one of the two, against a deadline. Refused or not posted in time, the run
 * ends failed before Phase 0 — nothing changed — and the requester hears why in a direct message.
 * Returns true when the run may go on.
 */
export async function seenBeforeChange(
  s: BotServices,
  env: EnvironmentConfig,
  run: RunRecord,
  signal: AbortSignal,
  waitMs = ROOT_MESSAGE_WAIT_MS,
): Promise<boolean> {
  const channel = run.slack?.channel;
  if (!env.policy.requireApproval || !channel || run.slack?.rootTs) return true;
  const seen = await pollWithBackoff(
    async () => {
      const slack = (await s.runs.get(run.id))?.slack;
      if (slack?.rootTs) return { done: true as const, value: undefined };
      if (slack?.rootRefused) return { done: true as const, value: slack.rootRefused };
      return { done: false as const, last: 'not posted yet' };
    },
    { clock: systemClock, signal, timeoutMs: waitMs, initialDelayMs: 50, maxDelayMs: 1_000 },
  );
  if (seen.ok && seen.value === undefined) return true;
  if (signal.aborted) return false;
  const refused = seen.ok ? seen.value : undefined;
  const reason = coded(
    refused
      ? message('thread.note.rootRefused', { channel, refused, env: run.env })
      : message('thread.note.rootLate', { channel, seconds: Math.round(waitMs / 1000), env: run.env }),
  );
  s.log.warn(
    { runId: run.id, env: run.env, refused },
    'run stopped before Phase 0: its root message is not in the channel',
  );
  await finishRun(s, run.id, endedReport(s, run, 'failed', reason));
  if (run.requester.kind === 'slack') {
    const user = run.requester.userId;
    await s.notifier.notify(
      { key: `dm-${run.id}`, channel: user },
      {
        kind: 'requester_dm',
        user,
        text: coded(message('dm.stoppedBeforeBegan', { env: run.env }), { reason }),
      },
    );
  }
  return false;
}
