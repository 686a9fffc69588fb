import type { CommandAction, ComposeDriverConfig, DriverConfig } from '../config/schema.ts';

/**
 * How a hint tells a person to do something by hand on the deployment. Hints are written once,
 * in the check registry; the driver supplies the words, so a systemd host is never told to run
 * `docker compose`.
 */
export interface DriverPhrases {
  /** Restart api and worker so they read the env file again. */
  readonly restart: string;
  /** Recreate api and worker when a restart does not re-read the env file (an imperative). */
  readonly recreate: string;
  /** What to do when a restart keeps the old values. */
  readonly restartKeepsOldEnv: string;
  readonly apiLogs: string;
  readonly workerLogs: string;
  /** Whether api and worker are running. */
  readonly status: string;
  /** Where `readEnv` looks: the environment the api process was started with. */
  readonly apiEnvironment: string;
  /** Run a program inside the api service. */
  readonly execInApi: string;
  /** What a command that could not start was running, for "is it installed and on PATH". */
  readonly program: string;
}

/** An argv as a person would type it into a shell. */
export function quoteArgv(argv: readonly string[]): string {
  return argv.map((a) => (/^[\w@%+=:,./{}-]+$/.test(a) ? a : `'${a.replaceAll("'", "'\\''")}'`)).join(' ');
}

export function driverPhrases(driver: DriverConfig): DriverPhrases {
  return driver.kind === 'compose' ? composePhrases(driver) : commandsPhrases(driver.commands);
}

type ComposeNaming = Pick<ComposeDriverConfig, 'command' | 'services'>;

/** The runbook's own words: `docker compose …` in the project directory. */
export function composePhrases(config: ComposeNaming): DriverPhrases {
  const command = config.command ?? ['docker', 'compose'];
  const compose = command.join(' ');
  const { api, worker } = config.services;
  return {
    restart: `\`${compose} restart ${api} ${worker}\` in the project directory`,
    recreate: `recreate them: \`${compose} up -d --no-deps --force-recreate ${api} ${worker}\``,
    restartKeepsOldEnv:
      'If the env file reaches the containers through `env_file:`, `restart` does not re-read it: set driver.apply: recreate or auto.',
    apiLogs: `\`${compose} logs ${api}\``,
    workerLogs: `\`${compose} logs ${worker}\``,
    status: `\`${compose} ps\``,
    apiEnvironment: `the ${api} container's environment`,
    execInApi: `\`${compose} exec -T ${api}\``,
    program: `\`${command[0] ?? 'docker'}\``,
  };
}

/** The defaults of the compose driver, for hints shown without a config (`pc-verify checks`). */
export const DEFAULT_COMPOSE_PHRASES = composePhrases({
  command: ['docker', 'compose'],
  services: { api: 'api', worker: 'worker', postgres: 'postgres' },
});

/**
 * The operator's own commands, quoted from the config when it is known (a hint that names the
 * exact command is one a person can copy); without a config, the action's key.
 */
export function commandsPhrases(
  commands?: Partial<Readonly<Record<CommandAction, readonly string[]>>>,
): DriverPhrases {
  const named = (action: CommandAction) => {
    const argv = commands?.[action];
    return argv === undefined
      ? `the environment's \`${action}\` command`
      : `\`${quoteArgv(argv)}\` (the environment's \`${action}\` command)`;
  };
  return {
    restart: named('apply'),
    recreate: `stop and start them (not a reload) with ${named('apply')}`,
    restartKeepsOldEnv:
      'If the api and worker keep the environment they were started with, make the `apply` command replace the processes (not reload them) so they read the env file again.',
    apiLogs: "the api's own log on its host (e.g. `journalctl -u` its service)",
    workerLogs: named('logs'),
    status: 'the state of the api and worker services on their host (e.g. `systemctl status`)',
    apiEnvironment: "the api process's environment",
    execInApi: named('installTokenCache'),
    program: 'the program this command runs',
  };
}

export const DEFAULT_COMMANDS_PHRASES = commandsPhrases();
