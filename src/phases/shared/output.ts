import { type CheckOutcome, fail } from '../../domain/check.ts';
import type { CommandResult } from '../../hunter/port.ts';
import { type PhaseContext, say, words } from '../context.ts';

/** The last `count` lines of command output: what a person needs to see of a failure. */
export function tailLines(text: string, count: number): string {
  const lines = text.trimEnd().split('\n');
  return lines.slice(-count).join('\n');
}

type CommandFailure = Extract<CommandResult, { ok: false }>;

/**
 * A command that hung, could not start, or that the driver could say more about (a stopped
 * container, a program the image lacks, a missing env file) says nothing about the step it was
 * for: the check's own runbook hint would send a person to the wrong place.
 */
export function commandFailed(
  res: CommandFailure,
  usualHint: string,
  ctx: Pick<PhaseContext, 'env'>,
  outputLines = 15,
): CheckOutcome {
  const output = tailLines(`${res.stdout}\n${res.stderr}`, outputLines);
  return fail(output === '' ? res.message : `${res.message}\n${output}`, hintFor(res, usualHint, ctx));
}

function hintFor(res: CommandFailure, usualHint: string, ctx: Pick<PhaseContext, 'env'>): string {
  if (res.hint !== undefined) return res.hint;
  if (res.reason === 'timeout') return words(ctx)('checks.command.timeout', { ...say(ctx) });
  if (res.reason === 'spawn') return words(ctx)('checks.command.spawn', { ...say(ctx) });
  return usualHint;
}
