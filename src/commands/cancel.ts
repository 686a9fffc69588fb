import { selectEnvironment } from '../config/select.ts';
import { ACTIVE_STATES } from '../domain/run.ts';
import { mayOperate } from './authz.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { audit } from './start.ts';

/**
 * `/pc-verify cancel <env>`: the run becomes `cancelled` at once (which frees the environment);
 * its worker sees that within a fraction of a second and stops its commands and requests.
 */
export async function cancelRun(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: found.message };
  const env = found.env;
  const permission = await mayOperate(deps, env, who, 'cancel');
  if (!permission.ok) {
    await audit(deps, env.name, who.userId, 'run.cancel', 'refused', permission.why);
    return { text: permission.why };
  }
  const holder = await deps.runs.lockHolder(env.name);
  if (!holder) return { text: `No run of *${env.name}* is going.` };
  const reason = `Cancelled by <@${who.userId}>.`;
  const moved = await deps.runs.transition(holder, ACTIVE_STATES, 'cancelled', () => ({ reason }));
  if (!moved.ok) return { text: `Run \`${holder}\` could not be cancelled: it is ${moved.state ?? 'gone'}.` };
  await audit(deps, env.name, who.userId, 'run.cancel', 'accepted', holder);
  return {
    text: `Cancelled run \`${holder}\` of *${env.name}*. Its commands and requests are being stopped.`,
  };
}
