import { selectEnvironment } from '../config/select.ts';
import { ACTIVE_STATES } from '../domain/run.ts';
import { mayOperate } from './authz.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { audit } from './start.ts';

/**
 * `/pc-verify off <env>`: the kill switch. No second person; a run that is going is cancelled
 * first (so two flag changes never race), then a worker turns the flag OFF and verifies it.
 */
export async function switchOff(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: found.message };
  const env = found.env;
  const permission = await mayOperate(deps, env, who, 'off');
  if (!permission.ok) {
    await audit(deps, env.name, who.userId, 'flag.off', 'refused', permission.why);
    return { text: permission.why };
  }
  const holder = await deps.runs.lockHolder(env.name);
  let cancelled = '';
  if (holder) {
    await deps.runs.transition(holder, ACTIVE_STATES, 'cancelled', () => ({
      reason: `Kill switch by <@${who.userId}>.`,
    }));
    cancelled = ` Run \`${holder}\` was cancelled first.`;
  }
  await deps.enqueue({ kind: 'off', env: env.name, by: who.userId, channel: who.channelId });
  await audit(
    deps,
    env.name,
    who.userId,
    'flag.off',
    'accepted',
    holder ? `cancelled ${holder}` : 'no run going',
  );
  return {
    text: `Turning the Partner Center flag OFF in *${env.name}* now; the result is posted in this channel.${cancelled}`,
  };
}
