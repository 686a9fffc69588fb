import type { Config } from '../config/config.ts';
import type { Reply } from './context.ts';

export function showHelp(config: Config, problem?: string): Reply {
  const envs = [...config.environments.keys()].join(', ');
  return {
    text: [
      ...(problem ? [problem, ''] : []),
      '*pc-verify* — verifies the Partner Center activation runbook before the flag goes ON.',
      '`/pc-verify <env>` start a run · `/pc-verify status [env]` · `/pc-verify history <env>`',
      '`/pc-verify cancel <env>` · `/pc-verify off <env>` (kill switch) · `/pc-verify plan <env>` · `/pc-verify help`',
      `Environments: ${envs}`,
    ].join('\n'),
  };
}
