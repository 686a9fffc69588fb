import { cancelRun } from './cancel.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { showHelp } from './help.ts';
import { showHistory } from './history.ts';
import { renewLogin } from './login.ts';
import { switchOff } from './off.ts';
import { parseSlashCommand, type SlashCommand } from './parse.ts';
import { showPlan } from './plan.ts';
import { startRun } from './start.ts';
import { showStatus } from './status.ts';

export type { CommandDeps, Invocation, Reply };
export { parseSlashCommand };

type EnvKind = Exclude<SlashCommand['kind'], 'start' | 'status' | 'help' | 'invalid'>;

/** The subcommands about one environment, each answered by its own file. */
const ON_ENV: Record<EnvKind, (deps: CommandDeps, who: Invocation, env: string) => Promise<Reply>> = {
  history: showHistory,
  cancel: cancelRun,
  off: switchOff,
  plan: showPlan,
  login: renewLogin,
};

/** Dispatches `/pc-verify …` to the file of its subcommand; every answer is ephemeral. */
export function handleSlashCommand(
  deps: CommandDeps,
  who: Invocation,
  command: SlashCommand,
): Promise<Reply> {
  switch (command.kind) {
    case 'start':
      return startRun(deps, who, command.env, command.ticket);
    case 'status':
      return showStatus(deps, who, command.env);
    case 'help':
      return Promise.resolve(showHelp(deps.config));
    case 'invalid':
      return Promise.resolve(showHelp(deps.config, command.reason));
    default:
      return ON_ENV[command.kind](deps, who, command.env);
  }
}
