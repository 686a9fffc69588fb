import { selectEnvironment } from '../config/select.ts';
import { planRun, renderPlan } from '../runs/plan.ts';
import type { CommandDeps, Reply } from './context.ts';

/** `/pc-verify plan <env>`: what a run would do, command by command; nothing is executed. */
export function showPlan(deps: CommandDeps, envName: string): Reply {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: found.message };
  return { text: `\`\`\`${renderPlan(found.env, planRun(found.env))}\`\`\`` };
}
