import type { EnvName } from '../domain/ids.ts';
import { runSwitchOff, switchedOff } from '../phases/switch-off.ts';
import { threadText } from '../slack/views/thread.ts';
import type { BotRunDeps } from './bot-run.ts';
import type { RunEvent } from './events.ts';
import { prepareSession } from './session.ts';

/** The kill switch in a worker: flag OFF, applied, verified with /healthz; posted and audited. */
export async function executeKillSwitch(
  deps: BotRunDeps,
  env: EnvName,
  by: string,
  channel: string,
): Promise<void> {
  const config = deps.config.environments.get(env);
  if (!config) return;
  const replies: string[] = [];
  const session = await prepareSession({
    env: config,
    observer: (event: RunEvent) => {
      const text = event.kind === 'check_finished' ? threadText(event) : undefined;
      if (text) replies.push(text);
    },
    signal: AbortSignal.timeout(config.api.readyTimeout + config.driver.commandTimeout + 30_000),
    handoff: () => {
      throw new Error('the kill switch never logs in');
    },
    ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
  });
  const checks = await runSwitchOff(session.ctx);
  const ok = switchedOff(checks);
  const head = ok
    ? `:octagonal_sign: Kill switch by <@${by}>: the Partner Center flag is OFF in *${env}* (verified with /healthz).`
    : `:rotating_light: Kill switch by <@${by}> in *${env}* could NOT confirm the flag is OFF — turn it OFF by hand now.`;
  const ts = await deps.chat.post(channel, head);
  for (const text of replies) await deps.chat.post(channel, text, undefined, ts);
  await deps.audit.append(env, {
    at: new Date().toISOString(),
    actor: by,
    action: 'flag.off.done',
    outcome: ok ? 'accepted' : 'refused',
    detail: ok ? 'flag OFF verified' : 'flag OFF not confirmed',
  });
}
