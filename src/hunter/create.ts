import type { Dispatcher } from 'undici';
import { type EnvironmentConfig, envFilePath } from '../config/config.ts';
import { systemClock } from '../util/clock.ts';
import { commandsArgv } from './commands-driver.ts';
import { composeArgv } from './compose-driver.ts';
import { createDatabase } from './database.ts';
import { createEnvFileStore } from './envfile-store.ts';
import { runArgv } from './exec.ts';
import { createHttp } from './http.ts';
import type { Clock, CommandResult, Commands, Target, TargetAction } from './port.ts';

export interface TargetDeps {
  readonly redact: (text: string) => string;
  readonly clock?: Clock;
  readonly dispatcher?: Dispatcher;
}

/** The real Target of an environment: its driver's commands, Hunter's HTTP API, its database, its env file. */
export function createTarget(env: EnvironmentConfig, deps: TargetDeps): Target {
  return {
    env,
    commands: createCommands(env, deps.redact),
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

export function argvFor(env: EnvironmentConfig, action: TargetAction): string[] {
  return env.driver.kind === 'compose' ? composeArgv(env.driver, action) : commandsArgv(env.driver, action);
}

function createCommands(env: EnvironmentConfig, redact: (text: string) => string): Commands {
  const { driver } = env;
  const cwd = driver.kind === 'compose' ? driver.projectDir : driver.cwd;
  return {
    describe: (action) => argvFor(env, action),
    run: (action, options) => {
      const argv = argvFor(env, action);
      if (argv.length === 0) return Promise.resolve(notConfigured(action));
      return runArgv(argv, {
        cwd,
        timeoutMs: options.timeoutMs ?? driver.commandTimeout,
        signal: options.signal,
        redact,
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      });
    },
  };
}

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
