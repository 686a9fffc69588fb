import type { ComposeDriverConfig } from '../../config/schema.ts';
import { type Translate, translator } from '../../i18n/translate.ts';
import type { DockerHost } from '../docker/host.ts';
import { quoteArgv } from '../phrases.ts';
import { applyArgv, type ComposeCli, stepArgv } from './cli-argv.ts';
import type { ComposeStep } from './steps.ts';

const EN = translator('en');
const V2: readonly string[] = ['docker', 'compose'];

/**
 * What `plan` shows for a step: the Engine API calls, or the CLI argv on a CLI-only host.
 * Nothing is executed, so the compose CLI is not asked its `version`: a line that depends on
 * which one answers says so, and shows both.
 */
export function describeStep(
  config: ComposeDriverConfig,
  host: DockerHost,
  step: ComposeStep,
  t: Translate = EN,
): string {
  const { api, worker } = config.services;
  const applyMode = config.apply === 'restart' ? 'restart' : 'recreate';
  if (host.kind === 'cli') {
    const line = step.kind === 'apply' ? cliLine(config, applyMode, t) : cliLine(config, step, t);
    return `${line}  (CLI: ${host.text} ${host.why})`;
  }
  const at = `Engine API ${host.text}`;
  if (step.kind === 'exec') return `${at}: exec in ${step.service}: ${quoteArgv(step.cmd)}`;
  if (step.kind === 'logs') {
    return `${at}: GET /containers/{${step.service}}/logs?timestamps=1&since=${step.since.toISOString()}`;
  }
  const recreate = cliLine(config, 'recreate', t);
  const restart = `${at}: POST /containers/{${api}}/restart, /containers/{${worker}}/restart`;
  if (config.apply === 'restart') return restart;
  if (config.apply === 'recreate') return recreate;
  return `apply: auto — ${recreate} if ${api} or ${worker} has the flag or the env file's variables in its create-time environment (env_file:), else ${restart}`;
}

/**
 * A compose CLI argv, shown with `docker compose` unless `driver.command` names one; the run
 * finds out which answers `version` (and so whether it is v1) only when it first needs it.
 */
function cliLine(
  config: ComposeDriverConfig,
  step: 'restart' | 'recreate' | Exclude<ComposeStep, { kind: 'apply' }>,
  t: Translate,
): string {
  const v2: ComposeCli = { command: config.command ?? V2, v1: false };
  const argv = typeof step === 'string' ? applyArgv(config, v2, step) : stepArgv(config, v2, step);
  const notes: string[] = [];
  if (config.command === undefined)
    notes.push(t('cli.plan.detectedCli', { v2: V2.join(' '), v1: 'docker-compose' }));
  if (typeof step !== 'string' && step.kind === 'logs') {
    const v1: ComposeCli = { command: config.command ?? ['docker-compose'], v1: true };
    notes.push(t('cli.plan.v1Logs', { argv: quoteArgv(stepArgv(config, v1, step)) }));
  }
  return notes.length === 0 ? quoteArgv(argv) : `${quoteArgv(argv)}  (${notes.join('; ')})`;
}
