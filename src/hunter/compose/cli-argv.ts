import type { ComposeDriverConfig } from '../../config/schema.ts';
import type { ApplyMode } from '../port.ts';
import type { ComposeStep } from './steps.ts';

/** The compose CLI as found: its argv prefix, and whether it is v1 (`docker-compose` 1.x). */
export interface ComposeCli {
  readonly command: readonly string[];
  readonly v1: boolean;
}

/** `docker compose --project-directory DIR [-f …] [-p …]`, the start of every CLI call. */
export function composeBase(config: ComposeDriverConfig, cli: ComposeCli): string[] {
  const base = [...cli.command, '--project-directory', config.projectDir];
  for (const file of config.files) base.push('-f', file);
  if (config.projectName !== undefined) base.push('-p', config.projectName);
  return base;
}

export function applyArgv(config: ComposeDriverConfig, cli: ComposeCli, mode: ApplyMode): string[] {
  const { api, worker } = config.services;
  return mode === 'restart'
    ? [...composeBase(config, cli), 'restart', api, worker]
    : [...composeBase(config, cli), 'up', '-d', '--no-deps', '--force-recreate', api, worker];
}

/**
 * A step as a CLI argv. Logs come with `-t` timestamps on both versions, and the lines are cut
 * at `since` by those stamps (cli-logs.ts): v1 1.29 has no `--since` (it would print its usage
 * and exit 0 with nothing on stdout), v2 gets it too so less crosses the pipe.
 */
export function stepArgv(
  config: ComposeDriverConfig,
  cli: ComposeCli,
  step: Exclude<ComposeStep, { kind: 'apply' }>,
): string[] {
  const base = composeBase(config, cli);
  if (step.kind === 'exec') return [...base, 'exec', '-T', step.service, ...step.cmd];
  const since = cli.v1 ? [] : ['--since', step.since.toISOString()];
  return [...base, 'logs', '-t', '--no-color', '--no-log-prefix', ...since, step.service];
}
