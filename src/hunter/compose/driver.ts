import type { ComposeDriverConfig } from '../../config/schema.ts';
import { restartContainer } from '../docker/containers.ts';
import { EngineHttp } from '../docker/engine.ts';
import { execInContainer } from '../docker/exec.ts';
import type { DockerHost } from '../docker/host.ts';
import { logsSince } from '../docker/logs.ts';
import type { ApplyMode, CommandOptions, CommandResult, Commands, Containers } from '../port.ts';
import { applyArgv, type ComposeCli } from './cli-argv.ts';
import { cliCommands } from './cli-commands.ts';
import { findComposeCli } from './cli-detect.ts';
import { engineContainers } from './containers.ts';
import { describeStep } from './describe.ts';
import { locateService } from './locate.ts';
import { execOutcome } from './outcome.ts';
import { composeStep } from './steps.ts';

/** Kept from each stream; the end is what a person reads. */
const OUTPUT_CAP = 512 * 1024;

export interface ComposeDriverDeps {
  readonly host: DockerHost;
  /** Runs a CLI argv (the compose CLI: recreate, or everything without the Engine API). */
  readonly runArgv: (
    argv: readonly string[],
    options: CommandOptions & { timeoutMs: number },
  ) => Promise<CommandResult>;
}

const engines = new Map<string, EngineHttp>();

/** One connection pool per daemon for the whole process, however many targets use it. */
function engineFor(host: Exclude<DockerHost, { kind: 'cli' }>): EngineHttp {
  let engine = engines.get(host.text);
  if (!engine) {
    engine = new EngineHttp(host);
    engines.set(host.text, engine);
  }
  return engine;
}

export interface ComposeDriver {
  readonly commands: Commands;
  readonly containers?: Containers;
}

/**
 * The compose driver: the Engine API for exec, logs, inspect and restart; the compose CLI
 * only to recreate. A host the API client cannot reach leaves everything to the CLI.
 */
export function createComposeDriver(config: ComposeDriverConfig, deps: ComposeDriverDeps): ComposeDriver {
  let cli: Promise<ComposeCli | string> | undefined;
  // Found once per target; a failed look is asked again next time.
  const composeCli = (signal: AbortSignal) => {
    cli ??= findComposeCli(config.command, (argv) =>
      deps.runArgv(argv, { signal, timeoutMs: Math.min(config.commandTimeout, 30_000) }),
    ).then((found) => {
      if (found.ok) return found.cli;
      cli = undefined;
      return found.message;
    });
    return cli;
  };
  if (deps.host.kind === 'cli') {
    return { commands: cliCommands(config, deps.host, composeCli, deps.runArgv) };
  }
  const http = engineFor(deps.host);
  const containers = engineContainers(http, config, Math.min(config.commandTimeout, 30_000));
  const timeoutOf = (options: CommandOptions) => options.timeoutMs ?? config.commandTimeout;

  async function recreateOrRestart(mode: ApplyMode, options: CommandOptions): Promise<CommandResult> {
    const started = performance.now();
    if (mode === 'recreate') {
      const found = await composeCli(options.signal);
      if (typeof found === 'string') {
        return {
          ok: false,
          reason: 'spawn',
          stdout: '',
          stderr: '',
          ms: 0,
          message: found,
          hint: 'Install compose v2 (`docker compose`) or v1 (`docker-compose`), or name it in driver.command.',
        };
      }
      return deps.runArgv(applyArgv(config, found, 'recreate'), {
        ...options,
        timeoutMs: timeoutOf(options),
      });
    }
    const call = { signal: options.signal, timeoutMs: timeoutOf(options) };
    const results = await Promise.all(
      [config.services.api, config.services.worker].map(async (service) => {
        const found = await locateService(http, config, service, call);
        if (!found.ok)
          return execOutcome(
            'restart',
            service,
            { ok: false, reason: 'daemon', message: found.message },
            started,
            call.timeoutMs,
            deps.host.text,
          );
        const done = await restartContainer(http, found.container.Id, call);
        return done.ok
          ? ({ ok: true, exitCode: 0, stdout: '', stderr: '', ms: 0 } as const)
          : execOutcome('restart', service, done, started, call.timeoutMs, deps.host.text);
      }),
    );
    const ms = Math.round(performance.now() - started);
    return results.find((r) => !r.ok) ?? { ok: true, exitCode: 0, stdout: '', stderr: '', ms };
  }

  const commands: Commands = {
    describe: (action) => describeStep(config, deps.host, composeStep(config, action)),
    async run(action, options) {
      const step = composeStep(config, action);
      const started = performance.now();
      if (step.kind === 'apply') {
        const decided = await containers.applyMode(options.signal);
        if (!decided.ok) {
          return {
            ok: false,
            reason: 'unavailable',
            stdout: '',
            stderr: '',
            ms: 0,
            message: decided.message,
            hint: decided.hint,
          };
        }
        return recreateOrRestart(decided.value.mode, options);
      }
      const call = { signal: options.signal, timeoutMs: timeoutOf(options) };
      const found = await locateService(http, config, step.service, call);
      if (!found.ok) {
        const ms = Math.round(performance.now() - started);
        return {
          ok: false,
          reason: 'unavailable',
          stdout: '',
          stderr: '',
          ms,
          message: found.message,
          hint: found.hint,
        };
      }
      if (step.kind === 'logs') {
        const logs = await logsSince(http, found.container.Id, step.since, {
          ...call,
          outputCap: OUTPUT_CAP,
        });
        if (logs.ok)
          return {
            ok: true,
            exitCode: 0,
            stdout: logs.value,
            stderr: '',
            ms: Math.round(performance.now() - started),
          };
        return execOutcome(
          'logs',
          step.service,
          { ok: false, reason: logs.reason, message: logs.message },
          started,
          call.timeoutMs,
          deps.host.text,
        );
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
      return execOutcome(step.cmd.join(' '), step.service, res, started, call.timeoutMs, deps.host.text);
    },
  };
  return { commands, containers };
}
