import type { CommandAction, ComposeDriverConfig, DriverConfig } from '../config/schema.ts';
import { type Translate, translator } from '../i18n/translate.ts';

const EN = translator('en');

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

/** The driver's commands in the deployment's words (`t`; English when not given). */
export function driverPhrases(driver: DriverConfig, t: Translate = EN): DriverPhrases {
  return driver.kind === 'compose' ? composePhrases(driver, t) : commandsPhrases(driver.commands, t);
}

type ComposeNaming = Pick<ComposeDriverConfig, 'command' | 'services'>;

/** The runbook's own words: `docker compose …` in the project directory. */
export function composePhrases(config: ComposeNaming, t: Translate = EN): DriverPhrases {
  const command = config.command ?? ['docker', 'compose'];
  const compose = command.join(' ');
  const { api, worker } = config.services;
  return {
    restart: t('checks.driver.compose.restart', { command: `${compose} restart ${api} ${worker}` }),
    recreate: t('checks.driver.compose.recreate', {
      command: `${compose} up -d --no-deps --force-recreate ${api} ${worker}`,
    }),
    restartKeepsOldEnv: t('checks.driver.compose.restartKeepsOldEnv'),
    apiLogs: `\`${compose} logs ${api}\``,
    workerLogs: `\`${compose} logs ${worker}\``,
    status: `\`${compose} ps\``,
    apiEnvironment: t('checks.driver.compose.apiEnvironment', { api }),
    execInApi: `\`${compose} exec -T ${api}\``,
    program: `\`${command[0] ?? 'docker'}\``,
  };
}

/** The defaults of the compose driver, for hints shown without a config (`pc-verify checks`). */
export const DEFAULT_COMPOSE_NAMING: ComposeNaming = {
  command: ['docker', 'compose'],
  services: { api: 'api', worker: 'worker', postgres: 'postgres' },
};
export const DEFAULT_COMPOSE_PHRASES = composePhrases({
  ...DEFAULT_COMPOSE_NAMING,
});

/**
 * The operator's own commands, quoted from the config when it is known (a hint that names the
 * exact command is one a person can copy); without a config, the action's key.
 */
export function commandsPhrases(
  commands?: Partial<Readonly<Record<CommandAction, readonly string[]>>>,
  t: Translate = EN,
): DriverPhrases {
  const named = (action: CommandAction) => {
    const argv = commands?.[action];
    return argv === undefined
      ? t('checks.driver.commands.named', { action })
      : t('checks.driver.commands.namedArgv', { action, argv: quoteArgv(argv) });
  };
  return {
    restart: named('apply'),
    recreate: t('checks.driver.commands.recreate', { apply: named('apply') }),
    restartKeepsOldEnv: t('checks.driver.commands.restartKeepsOldEnv'),
    apiLogs: t('checks.driver.commands.apiLogs'),
    workerLogs: named('logs'),
    status: t('checks.driver.commands.status'),
    apiEnvironment: t('checks.driver.commands.apiEnvironment'),
    execInApi: named('installTokenCache'),
    program: t('checks.driver.commands.program'),
  };
}

export const DEFAULT_COMMANDS_PHRASES = commandsPhrases();
