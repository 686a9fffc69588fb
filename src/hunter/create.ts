import { readFile } from 'node:fs/promises';
import type { Dispatcher } from 'undici';
import { type EnvironmentConfig, envFilePath } from '../config/config.ts';
import { type Translate, translator } from '../i18n/translate.ts';
import { systemClock } from '../util/clock.ts';
import { commandsArgv } from './commands-driver.ts';
import { createComposeDriver } from './compose/driver.ts';
import { createDatabase } from './database.ts';
import { parseDockerHost } from './docker/host.ts';
import { createEnvFileStore } from './envfile-store.ts';
import { runArgv } from './exec.ts';
import { createHttp } from './http.ts';
import { quoteArgv } from './phrases.ts';
import type { Clock, CommandResult, Commands, Containers, Target, TargetAction } from './port.ts';

export interface TargetDeps {
  readonly redact: (text: string) => string;
  readonly clock?: Clock;
  readonly dispatcher?: Dispatcher;
  /** Where `DOCKER_HOST` is read when the driver names no `host`. Default: the process's environment. */
  readonly processEnv?: Readonly<Record<string, string | undefined>>;
}

/** The real Target of an environment: its driver's commands, Hunter's HTTP API, its database, its env file. */
export function createTarget(env: EnvironmentConfig, deps: TargetDeps): Target {
  const driver = createDriver(env, deps);
  return {
    env,
    commands: driver.commands,
    ...(driver.containers ? { containers: driver.containers } : {}),
    http: createHttp({
      baseUrl: env.api.baseUrl,
      timeoutMs: env.api.requestTimeout,
      ...(deps.dispatcher ? { dispatcher: deps.dispatcher } : {}),
    }),
    db: createDatabase({ url: env.database.url, timeoutMs: env.database.timeout }),
    envFile: createEnvFileStore(envFilePath(env.driver)),
    clock: deps.clock ?? systemClock,
  };
}

/** What an action would do on this environment, for `plan`, in the words of `t`. */
export function describeAction(env: EnvironmentConfig, action: TargetAction, t?: Translate): string {
  return createDriver(env, { redact: (text) => text }).commands.describe(action, t);
}

function createDriver(
  env: EnvironmentConfig,
  deps: TargetDeps,
): { commands: Commands; containers?: Containers } {
  const { driver } = env;
  if (driver.kind === 'commands') {
    return {
      commands: {
        describe: (action) => quoteArgv(commandsArgv(driver, action)),
        run: (action, options) => {
          const argv = commandsArgv(driver, action);
          if (argv.length === 0) return Promise.resolve(notConfigured(action));
          return runArgv(argv, {
            cwd: driver.cwd,
            timeoutMs: options.timeoutMs ?? driver.commandTimeout,
            signal: options.signal,
            redact: deps.redact,
            ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
          });
        },
      },
    };
  }
  const processEnv = deps.processEnv ?? process.env;
  return createComposeDriver(driver, {
    host: parseDockerHost(driver.host ?? processEnv.DOCKER_HOST),
    readEnvFile: () => readFile(envFilePath(driver), 'utf8'),
    t: translator(env.language ?? 'en'),
    runArgv: (argv, options) =>
      runArgv(argv, {
        cwd: driver.projectDir,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        redact: deps.redact,
        // The CLI talks to the daemon the driver was told about.
        ...(driver.host === undefined ? {} : { env: { DOCKER_HOST: driver.host } }),
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      }),
  });
}

/** A staging action the operator's `commands` driver does not name (optional outside approval tiers). */
function notConfigured(action: TargetAction): CommandResult {
  return {
    ok: false,
    reason: 'spawn',
    stdout: '',
    stderr: '',
    message: `driver.commands.${action.kind} is not configured: add its argv (see pc-verify.example.yml)`,
    ms: 0,
  };
}
