import type { ComposeDriverConfig } from '../../config/schema.ts';
import type { DockerHost } from '../docker/host.ts';
import type { CommandOptions, CommandResult, Commands } from '../port.ts';
import { applyArgv, type ComposeCli, stepArgv } from './cli-argv.ts';
import { ignoredOption, linesSinceFromCli } from './cli-logs.ts';
import { describeStep } from './describe.ts';
import type { DockerHints } from './hints.ts';
import { cliOutcome, noComposeCli } from './outcome.ts';
import { composeStep } from './steps.ts';

type RunArgv = (
  argv: readonly string[],
  options: CommandOptions & { timeoutMs: number },
) => Promise<CommandResult>;

/**
 * Everything through the compose CLI, for a host the Engine API client cannot reach (`ssh://`).
 * `apply: auto` cannot look at `Config.Env` here, so it recreates: that re-reads the file
 * whether it reaches the containers through `env_file:` or a mount.
 */
export function cliCommands(
  config: ComposeDriverConfig,
  host: DockerHost,
  composeCli: (signal: AbortSignal) => Promise<ComposeCli | string>,
  runArgv: RunArgv,
  hints: DockerHints,
): Commands {
  return {
    describe: (action, t) => describeStep(config, host, composeStep(config, action), t),
    async run(action, options) {
      const found = await composeCli(options.signal);
      if (typeof found === 'string') return noComposeCli(found, hints);
      const step = composeStep(config, action);
      const timed = { ...options, timeoutMs: options.timeoutMs ?? config.commandTimeout };
      if (step.kind === 'apply') {
        const mode = config.apply === 'restart' ? 'restart' : 'recreate';
        return cliOutcome(await runArgv(applyArgv(config, found, mode), timed), hints);
      }
      const res = cliOutcome(
        await runArgv(stepArgv(config, found, step), timed),
        hints,
        step.kind === 'exec' ? step : undefined,
      );
      if (step.kind !== 'logs' || !res.ok) return res;
      if (ignoredOption(res.stdout, res.stderr)) return refused(res, found, hints);
      return { ...res, stdout: linesSinceFromCli(res.stdout, step.since) };
    },
  };
}

function refused(
  res: Extract<CommandResult, { ok: true }>,
  cli: ComposeCli,
  hints: DockerHints,
): CommandResult {
  return {
    ok: false,
    reason: 'exit',
    exitCode: 0,
    stdout: res.stdout,
    stderr: res.stderr,
    ms: res.ms,
    message: `\`${cli.command.join(' ')} logs\` printed its usage instead of logs (exit 0, nothing on stdout): it did not accept an option`,
    hint: hints.cliTooOld(),
  };
}
