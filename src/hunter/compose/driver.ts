import type { ComposeDriverConfig } from '../../config/schema.ts';
import type { Translate } from '../../i18n/translate.ts';
import { EngineHttp } from '../docker/engine.ts';
import type { DockerHost } from '../docker/host.ts';
import type { CommandOptions, CommandResult, Commands, Containers } from '../port.ts';
import type { ComposeCli } from './cli-argv.ts';
import { cliCommands } from './cli-commands.ts';
import { findComposeCli } from './cli-detect.ts';
import { engineContainers } from './containers.ts';
import { engineCommands } from './engine-commands.ts';
import { dockerHints } from './hints.ts';

export interface ComposeDriverDeps {
  readonly host: DockerHost;
  /** The env file's text, for `apply: auto` to see whether `env_file:` delivers it. */
  readonly readEnvFile?: () => Promise<string>;
  /** The deployment's words, for the hints the driver gives. Default: English. */
  readonly t?: Translate;
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
  const hints = dockerHints(config, deps.host.text, deps.t);
  let cli: Promise<ComposeCli | string> | undefined;
  // Found once per target — one run, or one kill switch — however many recreates it makes; a
  // failed look is asked again next time. Not once per process: `serve` runs for months, and a
  // person who upgrades compose (v1 to v2) or removes `docker-compose` between runs must not get
  // a run that calls a CLI that is gone. One `version` per run costs well under a second.
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
    return { commands: cliCommands(config, deps.host, composeCli, deps.runArgv, hints) };
  }
  const http = engineFor(deps.host);
  const containers = engineContainers(
    http,
    config,
    Math.min(config.commandTimeout, 30_000),
    hints,
    deps.readEnvFile,
  );
  const commands = engineCommands({
    config,
    http,
    host: deps.host,
    containers,
    hints,
    composeCli,
    runArgv: deps.runArgv,
  });
  return { commands, containers };
}
