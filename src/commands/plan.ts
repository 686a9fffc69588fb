import { selectEnvironment } from '../config/select.ts';
import { planRun, renderPlan } from '../runs/plan.ts';
import { clip } from '../util/truncate.ts';
import type { CommandDeps, Reply } from './context.ts';

const MAX_PLAN = 3_500;

/** `/pc-verify plan <env>`: what a run would do, command by command; nothing is executed. */
export async function showPlan(deps: CommandDeps, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok)
    return { text: `${found.message} Type \`/pc-verify help\` for the commands.`, outcome: 'refused' };
  const plan = renderPlan(found.env, planRun(found.env)).replaceAll('```', "'''");
  const shown = clip(plan, MAX_PLAN);
  const note =
    shown === plan ? '' : `\n(cut; \`pc-verify plan ${found.env.name}\` in a terminal prints all of it)`;
  return { text: `\`\`\`${shown}\`\`\`${note}`, outcome: 'answered' };
}
