import { envFilePath } from '../../config/config.ts';
import type { ComposeDriverConfig } from '../../config/schema.ts';
import { type Translate, translator } from '../../i18n/translate.ts';

/**
 * What the compose driver tells a person to do when docker itself says what went wrong, in the
 * deployment's words. The phases prefer these to a check's runbook hint: a stopped container is
 * not a failed migration.
 */
export interface DockerHints {
  notRunning(service: string): string;
  noProgram(service: string, program: string): string;
  /** The Engine API call failed: `reason` as EngineHttp reports it. */
  engine(reason: string): string;
  noContainer(): string;
  notDescribed(): string;
  cliTooOld(): string;
  noCompose(): string;
  /** `path`: the env file compose could not find (the one its `env_file:` names). */
  envFileMissing(path: string): string;
}

export function dockerHints(
  config: ComposeDriverConfig,
  host: string,
  t: Translate = translator('en'),
): DockerHints {
  const command = (config.command ?? ['docker', 'compose']).join(' ');
  return {
    notRunning: (service) => t('checks.docker.notRunning', { command, service }),
    noProgram: (service, program) => t('checks.docker.noProgram', { service, program }),
    engine(reason) {
      if (reason === 'unreachable') return t('checks.docker.unreachable', { host });
      if (reason === 'timeout') return t('checks.docker.slow');
      return t('checks.docker.refused');
    },
    noContainer: () => t('checks.docker.noContainer', { command, dir: config.projectDir }),
    notDescribed: () => t('checks.docker.notDescribed'),
    cliTooOld: () => t('checks.docker.cliTooOld'),
    noCompose: () => t('checks.docker.noCompose'),
    envFileMissing: (path) => t('checks.docker.envFileMissing', { path, envFile: envFilePath(config) }),
  };
}
