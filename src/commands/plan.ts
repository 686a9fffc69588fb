import { selectEnvironment } from '../config/select.ts';
import { createRedactor } from '../util/redact.ts';
import { clip } from '../util/truncate.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { seeHelp, wordsFor } from './language.ts';
import { refuseReader } from './read-access.ts';

const MAX_PLAN = 3_500;

/** `/pc-verify plan <env>`: what a run would do, command by command; nothing is executed. */
export async function showPlan(deps: CommandDeps, who: Invocation, envName: string): Promise<Reply> {
  const found = selectEnvironment(deps.config, envName);
  if (!found.ok) return { text: seeHelp(wordsFor(deps), found.message), outcome: 'refused' };
  const refused = await refuseReader(deps, who, found.env, 'plan');
  if (refused) return refused;
  // Loaded when asked for: the plan reads the Hunter drivers (execa, pg, undici), which a web
  // process otherwise never needs.
  const { planRun, renderPlan } = await import('../engine/run-plan.ts');
  // The config's `env:` values (an ssh password in an argv, a URL's password) never show.
  const redact = createRedactor(deps.config.secrets ?? []);
  const plan = redact(renderPlan(found.env, planRun(found.env))).replaceAll('```', "'''");
  const shown = clip(plan, MAX_PLAN);
  const note = shown === plan ? '' : `\n${wordsFor(deps)('commands.plan.cut', { env: found.env.name })}`;
  return { text: `\`\`\`${shown}\`\`\`${note}`, outcome: 'answered' };
}
