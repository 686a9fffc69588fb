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
    case 'history':
      return showHistory(deps, who, command.env);
    case 'cancel':
      return cancelRun(deps, who, command.env);
    case 'off':
      return switchOff(deps, who, command.env);
    case 'plan':
      return showPlan(deps, who, command.env);
    case 'login':
      return renewLogin(deps, who, command.env);
    case 'help':
      return Promise.resolve(showHelp(deps.config));
    case 'invalid':
      return Promise.resolve(showHelp(deps.config, command.reason));
  }
}
