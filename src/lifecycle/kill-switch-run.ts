import type { EnvName } from '../domain/ids.ts';
import { prepareSession } from '../engine/prepare-session.ts';
import type { RunEvent } from '../engine/run-events.ts';
import { coded, message } from '../i18n/index.ts';
import { PhaseReplies } from '../outbox/phase-replies.ts';
import { killSwitchThread } from '../outbox/run-notices.ts';
import { runSwitchOff, switchedOff } from '../phases/switch-off.ts';
import { auditCommand } from './audit-command.ts';
import { redisLedger } from './flag-ledger.ts';
import type { BotServices } from './lifecycle-deps.ts';
import type { RunWorkSettings } from './run-pickup.ts';

export interface KillSwitchJob {
  readonly offId: string;
  readonly env: EnvName;
  readonly by: string;
  readonly channel: string;
}

/**
 * The kill switch in a worker: flag OFF, applied, verified with /healthz (the same stage as a
 * rollback). It acts first and reports after: every message goes through the notifier, which
 * only records it, so a slow or rate-limited chat never delays the switch nor eats its deadline.
 * One root message updated with the outcome, the checks in its thread, audited.
 */
export async function runKillSwitch(
  s: BotServices,
  w: RunWorkSettings,
  job: KillSwitchJob,
  /** Aborted when this worker lost the job (its lock): the attempt stops where it is. */
  stopped?: AbortSignal,
): Promise<boolean> {
  const env = s.config.environments.get(job.env);
  if (!env) return false;
  const thread = killSwitchThread(job.offId, job.channel);
  const say = (outcome: 'working' | 'off' | 'not_confirmed') =>
    s.notifier.notify(thread, { kind: 'kill_switch', env: job.env, by: job.by, outcome, offId: job.offId });
  const replies = new PhaseReplies();
  const observer = async (event: RunEvent) => {
    for (const notice of replies.on(event)) await s.notifier.notify(thread, notice);
  };
  // The kill switch may always act: its intent needs no lock, and it takes the flag over.
  const flag = redisLedger(s, { env: job.env, owner: { kind: 'kill', offId: job.offId }, by: job.by });
  const session = await prepareSession({
    env,
    flag,
    observer,
    // The kill switch has no cancel: only its own deadline (a restart, then /healthz), or the
    // loss of its job to another worker.
    signal: AbortSignal.any([
      AbortSignal.timeout(env.driver.commandTimeout + env.api.readyTimeout + 2 * env.api.requestTimeout),
      ...(stopped ? [stopped] : []),
    ]),
    handoff: () => {
      throw new Error('the kill switch never signs in');
    },
    ...(w.dispatcher ? { dispatcher: w.dispatcher } : {}),
  });
  await say('working');
  const ok = switchedOff(await runSwitchOff(session.ctx));
  for (const notice of replies.close()) await s.notifier.notify(thread, notice);
  if (!ok) {
    await flag
      .unverified(`The kill switch could not verify the flag OFF in ${job.env}.`)
      .catch((error: unknown) => s.log.warn({ env: job.env, err: error }, 'unverified mark failed'));
  }
  await say(ok ? 'off' : 'not_confirmed');
  const detail = ok ? 'flag OFF, verified with /healthz' : 'flag OFF NOT confirmed: turn it OFF by hand';
  await auditCommand(s, job.env, job.by, 'flag.off.done', ok ? 'accepted' : 'info', detail);
  s.log.info({ env: job.env, by: job.by, ok }, 'kill switch finished');
  return ok;
}

/**
 * A kill switch whose environment is no longer in the configuration (removed after the switch
 * was queued, or before a retry): no attempt can ever act on it, so it is not retried. It is
 * said once — the log, the audit trail, the switch's root message and thread — and the person
 * is told to turn the flag OFF by hand where it may still be ON.
 */
export async function refuseKillSwitchWithoutEnvironment(s: BotServices, job: KillSwitchJob): Promise<void> {
  const why = `${job.env} is no longer in pc-verify's configuration, so the kill switch cannot reach it`;
  s.log.error(
    { env: job.env, offId: job.offId, by: job.by },
    'kill switch for an environment no longer configured: not retried',
  );
  await s.audit.append(job.env, {
    at: s.now().toISOString(),
    actor: job.by,
    action: 'flag.off.done',
    outcome: 'refused',
    detail: `flag OFF NOT confirmed: ${why}; not retried: turn it OFF by hand`,
  });
  const thread = killSwitchThread(job.offId, job.channel);
  await s.notifier.notify(thread, {
    kind: 'kill_switch',
    env: job.env,
    by: job.by,
    outcome: 'not_confirmed',
    offId: job.offId,
  });
  await s.notifier.notify(thread, {
    kind: 'note',
    text: `The kill switch did not run: ${why}. It is not tried again. If the flag may be ON there, set HUNTER_PARTNER_CENTER_ENABLED=false in its env file by hand and restart the api and worker.`,
    tone: 'alarm',
    people: [job.by],
  });
}

/**
 * One attempt that did not verify the flag OFF, as `reportKillSwitchFailure` says it: it ended
 * without OFF verified (and waits `retryInMs`), or its worker went away before it ended (a
 * crash, a kill, a lost job lock) and another worker takes it at once.
 */
export type KillSwitchFailure =
  | {
      readonly kind: 'not_verified';
      readonly attempt: number;
      readonly why: string;
      readonly retryInMs: number;
    }
  | { readonly kind: 'stopped'; readonly attempt: number };

/**
 * Said in the switch's thread and counted: a kill switch never fails quietly. From the second
 * failure on, the requester is called by name (the first is in front of them already).
 */
export async function reportKillSwitchFailure(
  s: BotServices,
  job: KillSwitchJob,
  failure: KillSwitchFailure,
): Promise<void> {
  s.metrics.killSwitchFailures.inc({ env: job.env });
  const text =
    failure.kind === 'stopped'
      ? coded(message('thread.note.killSwitchStopped', { attempt: failure.attempt, env: job.env }))
      : coded(
          message('thread.note.killSwitchRetry', {
            attempt: failure.attempt,
            env: job.env,
            why: failure.why,
            wait: Math.max(1, Math.round(failure.retryInMs / 1000)),
          }),
        );
  await s.notifier.notify(killSwitchThread(job.offId, job.channel), {
    kind: 'note',
    text,
    tone: 'alarm',
    ...(failure.attempt > 1 ? { people: [job.by] } : {}),
  });
}
