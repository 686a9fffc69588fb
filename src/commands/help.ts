import type { Config } from '../config/config.ts';
import type { Reply } from './context.ts';

/** `/pc-verify help`, and the answer to anything the parser does not understand. */
export function showHelp(config: Config, problem?: string): Reply {
  const envs = [...config.environments.keys()].map((e) => `\`${e}\``).join(', ');
  return {
    text: [
      ...(problem ? [problem, ''] : []),
      '*pc-verify* runs the Partner Center activation runbook (Phases 0–3) before the flag goes ON.',
      '`/pc-verify <env>` — start a run: a checklist in this channel, every step in its thread, the sign-in code in your DM',
      '`/pc-verify status [env]` — the run going and the latest result',
      '`/pc-verify history <env>` — the last ten results',
      '`/pc-verify cancel <env>` — stop the run going',
      '`/pc-verify off <env>` — kill switch: flag OFF now, verified (no second person needed)',
      '`/pc-verify plan <env>` — every command a run would make; nothing is executed',
      '`/pc-verify login <env>` — sign in again (Phase 2 alone: a new code in your DM, the flag untouched), when the watch says the token stopped working',
      '`/pc-verify help` — this',
      `Environments: ${envs}`,
    ].join('\n'),
    outcome: problem ? 'refused' : 'answered',
  };
}
