import { type CheckOutcome, fail } from '../../domain/check.ts';
import type { DriverPhrases } from '../../hunter/phrases.ts';
import type { CommandResult } from '../../hunter/port.ts';

/** The last `count` lines of command output: what a person needs to see of a failure. */
export function tailLines(text: string, count: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}

type CommandFailure = Extract<CommandResult, { ok: false }>;

/**
 * A command that hung or could not start says nothing about the step it was for: the check's
 * own runbook hint would send a person to the wrong place, so those two get their own.
 */
export function commandFailed(
  res: CommandFailure,
  usualHint: string,
  say: DriverPhrases,
  outputLines = 15,
): CheckOutcome {
  const output = tailLines(`${res.stdout}\n${res.stderr}`, outputLines);
  return fail(output === '' ? res.message : `${res.message}\n${output}`, hintFor(res, usualHint, say));
}

function hintFor(res: CommandFailure, usualHint: string, say: DriverPhrases): string {
  if (res.reason === 'timeout')
    return `The command hung or is slower than driver.commandTimeout: look at ${say.status} and at ${say.apiLogs}; raise driver.commandTimeout only if this step is known to take that long.`;
  if (res.reason === 'spawn')
    return `pc-verify could not start the command on this host: is ${say.program} installed and on PATH for the user the bot runs as?`;
  return usualHint;
}
