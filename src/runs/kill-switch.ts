import type { EnvName } from '../domain/ids.ts';
import { runSwitchOff, switchedOff } from '../phases/switch-off.ts';
import { killSwitchMessage } from '../slack/views/kill-switch.ts';
import { threadText } from '../slack/views/thread.ts';
import type { RunWorkSettings } from './bot-run.ts';
import type { RunEvent } from './events.ts';
import { redisLedger } from './flag-ledger.ts';
import type { BotServices } from './services.ts';
import { prepareSession } from './session.ts';

export interface KillSwitchJob {
  readonly offId: string;
  readonly env: EnvName;
  readonly by: string;
  readonly channel: string;
  /** The root message posted when the command was accepted. */
  readonly rootTs?: string;
}

/**
 * The kill switch in a worker: flag OFF, applied, verified with /healthz (the same stage as a
 * rollback). One root message updated with the outcome, the checks in its thread, audited.
 */
export async function runKillSwitch(
  s: BotServices,
  w: RunWorkSettings,
  job: KillSwitchJob,
): Promise<boolean> {
  const env = s.config.environments.get(job.env);
  if (!env) return false;
  // Slack being unreachable never stops the kill switch: it runs, and the log and audit say how it went.
  const rootTs = job.rootTs ?? (await postRoot(s, job));
  const reply = async (text: string) => {
    if (!rootTs) return;
    await s.chat.post(job.channel, text, undefined, rootTs).catch((error: unknown) => {
      s.log.warn({ env: job.env, err: error }, 'kill switch: thread reply failed');
    });
  };
  const observer = async (event: RunEvent) => {
    const text = threadText(event);
    if (text) await reply(text);
  };
  // The kill switch may always act: its intent needs no lock, and it takes the flag over.
  const flag = redisLedger(s, { env: job.env, owner: { kind: 'kill', offId: job.offId }, by: job.by });
  const session = await prepareSession({
    env,
    flag,
    observer,
    // The kill switch has no cancel: only its own deadline (a restart, then /healthz).
    signal: AbortSignal.timeout(
      env.driver.commandTimeout + env.api.readyTimeout + 2 * env.api.requestTimeout,
    ),
    handoff: () => {
      throw new Error('the kill switch never signs in');
    },
    ...(w.dispatcher ? { dispatcher: w.dispatcher } : {}),
  });
  const ok = switchedOff(await runSwitchOff(session.ctx));
  if (!ok) {
    await flag
      .unverified(`The kill switch could not verify the flag OFF in ${job.env}.`)
      .catch((error: unknown) => s.log.warn({ env: job.env, err: error }, 'unverified mark failed'));
  }
  const { text, blocks } = killSwitchMessage(job.env, job.by, ok ? 'off' : 'not_confirmed', job.offId);
  if (rootTs) {
    await s.chat.update(job.channel, rootTs, text, blocks).catch((error: unknown) => {
      s.log.warn({ env: job.env, err: error }, 'kill switch: root update failed');
    });
  }
  await s.audit.append(job.env, {
    at: s.now().toISOString(),
    actor: job.by,
    action: 'flag.off.done',
    outcome: ok ? 'accepted' : 'info',
    detail: ok ? 'flag OFF, verified with /healthz' : 'flag OFF NOT confirmed: turn it OFF by hand',
  });
  s.log.info({ env: job.env, by: job.by, ok }, 'kill switch finished');
  return ok;
}

async function postRoot(s: BotServices, job: KillSwitchJob): Promise<string | undefined> {
  const { text, blocks } = killSwitchMessage(job.env, job.by, 'working', job.offId);
  return s.chat.post(job.channel, text, blocks).catch((error: unknown) => {
    s.log.warn({ env: job.env, err: error }, 'kill switch: root message failed');
    return undefined;
  });
}
