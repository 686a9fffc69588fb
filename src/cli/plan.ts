import { loadConfigFile } from '../config/load.ts';
import { selectEnvironment } from '../config/select.ts';
import { planRun, renderPlan } from '../engine/run-plan.ts';
import { createRedactor } from '../util/redact.ts';
import { EXIT, UsageError } from './exit-codes.ts';

export interface PlanArgs {
  readonly env: string;
  readonly config?: string;
}

/** `pc-verify plan <env>`: every command and request a run would make; nothing is executed. */
export async function planCommand(args: PlanArgs, out: (text: string) => void): Promise<number> {
  const config = await loadConfigFile(args.config);
  const found = selectEnvironment(config, args.env);
  if (!found.ok) throw new UsageError(found.message);
  // The config's `env:` values and URL passwords stay out of a terminal's scrollback too.
  out(createRedactor(config.secrets ?? [])(renderPlan(found.env, planRun(found.env))));
  return EXIT.pass;
}
