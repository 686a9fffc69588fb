import { cancelRun } from './cancel.ts';
import type { CommandDeps, Invocation, Reply } from './context.ts';
import { showHelp } from './help.ts';
import { showHistory } from './history.ts';
import { switchOff } from './off.ts';
import { parseSlashCommand } from './parse.ts';
import { showPlan } from './plan.ts';
import { startRun } from './start.ts';
import { showStatus } from './status.ts';

/** Dispatches `/pc-verify …` to the file of its subcommand; every answer is ephemeral. */
export async function handleSlashCommand(deps: CommandDeps, who: Invocation, text: string): Promise<Reply> {
  const command = parseSlashCommand(text);
  switch (command.kind) {
    case 'start':
      return startRun(deps, who, command.env);
    case 'status':
      return showStatus(deps, command.env);
    case 'history':
      return showHistory(deps, command.env);
    case 'cancel':
      return cancelRun(deps, who, command.env);
    case 'off':
      return switchOff(deps, who, command.env);
    case 'plan':
      return showPlan(deps, command.env);
    case 'help':
      return showHelp(deps.config);
    case 'invalid':
      return showHelp(deps.config, command.reason);
  }
}
