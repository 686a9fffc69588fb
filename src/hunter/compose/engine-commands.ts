import type { ComposeDriverConfig } from '../../config/schema.ts';
import { restartContainer } from '../docker/containers.ts';
import type { EngineHttp } from '../docker/engine.ts';
import { execInContainer } from '../docker/exec.ts';
import type { DockerHost } from '../docker/host.ts';
import { logsSince } from '../docker/logs.ts';
import type { CommandOptions, CommandResult, Commands, Containers } from '../port.ts';
import { applyArgv, type ComposeCli } from './cli-argv.ts';
import { describeStep } from './describe.ts';
import type { DockerHints } from './hints.ts';
import { locateService } from './locate.ts';
import { cliOutcome, execOutcome, noComposeCli } from './outcome.ts';
import { type ComposeStep, composeStep } from './steps.ts';

/** Kept from each stream; the end is what a person reads. */
const OUTPUT_CAP = 512 * 1024;

export interface EngineCommandsDeps {
  readonly config: ComposeDriverConfig;
  readonly http: EngineHttp;
  readonly host: DockerHost;
  readonly containers: Containers;
  readonly hints: DockerHints;
  readonly composeCli: (signal: AbortSignal) => Promise<ComposeCli | string>;
  readonly runArgv: (
    argv: readonly string[],
    options: CommandOptions & { timeoutMs: number },
  ) => Promise<CommandResult>;
}

/** The runbook's actions over the Engine API; a recreate is the one thing left to the compose CLI. */
export function engineCommands(deps: EngineCommandsDeps): Commands {
  const { config, host, containers } = deps;
  return {
    describe: (action, t) => describeStep(config, host, composeStep(config, action), t),
    async run(action, options) {
      const step = composeStep(config, action);
      if (step.kind !== 'apply') return runInService(deps, step, options);
      const decided = await containers.applyMode(options.signal);
      if (!decided.ok) return unavailable(decided, 0);
      return decided.value.mode === 'recreate' ? recreate(deps, options) : restartBoth(deps, options);
    },
  };
}

const timeoutOf = (deps: EngineCommandsDeps, options: CommandOptions) =>
  options.timeoutMs ?? deps.config.commandTimeout;

function unavailable(why: { message: string; hint: string }, ms: number): CommandResult {
  return {
    ok: false,
    reason: 'unavailable',
    stdout: '',
    stderr: '',
    ms,
    message: why.message,
    hint: why.hint,
  };
}

async function recreate(deps: EngineCommandsDeps, options: CommandOptions): Promise<CommandResult> {
  const found = await deps.composeCli(options.signal);
  if (typeof found === 'string') return noComposeCli(found, deps.hints);
  const res = await deps.runArgv(applyArgv(deps.config, found, 'recreate'), {
    ...options,
    timeoutMs: timeoutOf(deps, options),
  });
  return cliOutcome(res, deps.hints);
}

/** `restart api worker`, both at once as compose does them. */
async function restartBoth(deps: EngineCommandsDeps, options: CommandOptions): Promise<CommandResult> {
  const { config, http, hints } = deps;
  const started = performance.now();
  const call = { signal: options.signal, timeoutMs: timeoutOf(deps, options) };
  const results = await Promise.all(
    [config.services.api, config.services.worker].map(async (service): Promise<CommandResult> => {
      const found = await locateService(http, config, service, call, hints);
      if (!found.ok) return unavailable(found, 0);
      const done = await restartContainer(http, found.container.Id, call);
      if (done.ok) return { ok: true, exitCode: 0, stdout: '', stderr: '', ms: 0 };
      return execOutcome('restart', service, done, started, call.timeoutMs, hints);
    }),
  );
  const ms = Math.round(performance.now() - started);
  return results.find((r) => !r.ok) ?? { ok: true, exitCode: 0, stdout: '', stderr: '', ms };
}

async function runInService(
  deps: EngineCommandsDeps,
  step: Exclude<ComposeStep, { kind: 'apply' }>,
  options: CommandOptions,
): Promise<CommandResult> {
  const { config, http, hints } = deps;
  const started = performance.now();
  const call = { signal: options.signal, timeoutMs: timeoutOf(deps, options) };
  const found = await locateService(http, config, step.service, call, hints);
  if (!found.ok) return unavailable(found, Math.round(performance.now() - started));
  if (step.kind === 'logs') {
    const logs = await logsSince(http, found.container.Id, step.since, { ...call, outputCap: OUTPUT_CAP });
    if (!logs.ok) return execOutcome('logs', step.service, logs, started, call.timeoutMs, hints);
    return {
      ok: true,
      exitCode: 0,
      stdout: logs.value,
      stderr: '',
      ms: Math.round(performance.now() - started),
    };
  }
  const res = await execInContainer(
    http,
    {
      containerId: found.container.Id,
      cmd: step.cmd,
      outputCap: OUTPUT_CAP,
      ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
    },
    call,
  );
  return execOutcome(step.cmd.join(' '), step.service, res, started, call.timeoutMs, hints);
}
