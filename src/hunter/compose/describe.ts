import type { ComposeDriverConfig } from '../../config/schema.ts';
import type { DockerHost } from '../docker/host.ts';
import { quoteArgv } from '../phrases.ts';
import { applyArgv, type ComposeCli, stepArgv } from './cli-argv.ts';
import type { ComposeStep } from './steps.ts';

/** What `plan` shows for a step: the Engine API calls, or the CLI argv on a CLI-only host. */
export function describeStep(config: ComposeDriverConfig, host: DockerHost, step: ComposeStep): string {
  const cli: ComposeCli = { command: config.command ?? ['docker', 'compose'], v1: false };
  const { api, worker } = config.services;
  if (host.kind === 'cli') {
    if (step.kind === 'apply') {
      const mode = config.apply === 'restart' ? 'restart' : 'recreate';
      return `${quoteArgv(applyArgv(config, cli, mode))}  (CLI: ${host.text} ${host.why})`;
    }
    return `${quoteArgv(stepArgv(config, cli, step))}  (CLI: ${host.text} ${host.why})`;
  }
  const at = `Engine API ${host.text}`;
  if (step.kind === 'exec') return `${at}: exec in ${step.service}: ${quoteArgv(step.cmd)}`;
  if (step.kind === 'logs') {
    return `${at}: GET /containers/{${step.service}}/logs?timestamps=1&since=${step.since.toISOString()}`;
  }
  const recreate = quoteArgv(applyArgv(config, cli, 'recreate'));
  const restart = `${at}: POST /containers/{${api}}/restart, /containers/{${worker}}/restart`;
  if (config.apply === 'restart') return restart;
  if (config.apply === 'recreate') return recreate;
  return `apply: auto — ${recreate} if ${api} or ${worker} has the flag or the env file's variables in its create-time environment (env_file:), else ${restart}`;
}
