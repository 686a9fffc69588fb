import type { EnvironmentConfig } from '../config/config.ts';
import { mayOperate } from '../gates/permissions.ts';
import { auditRefusal } from '../lifecycle/audit-command.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { refusal } from './language.ts';

/**
 * `plan`, `status` and `history` show an environment's commands, runs and flag: they answer
 * the people on its lists, in its channels, like the commands that change it. A refusal is
 * recorded with the other refusals (rate-limited for strangers).
 */
export async function refuseReader(
  deps: CommandDeps,
  who: Invocation,
  env: EnvironmentConfig,
  command: string,
): Promise<Reply | undefined> {
  const permission = await mayOperate(deps.groups, env, who, 'read');
  if (permission.ok) return undefined;
  const refused = refusal(deps, permission.why);
  await auditRefusal(deps, env.name, who.userId, `read.${command}`, refused.audited);
  return { text: refused.text, outcome: 'refused' };
}
