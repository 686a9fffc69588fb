import { FLAG_VAR } from '../../config/expect.ts';
import type { ComposeDriverConfig } from '../../config/schema.ts';
import { envOf, inspectContainer } from '../docker/containers.ts';
import type { EngineHttp } from '../docker/engine.ts';
import { logsSince } from '../docker/logs.ts';
import { parseEnvFile } from '../envfile.ts';
import type { ApplyDecision, AppService, Containers, Observed, ServiceState } from '../port.ts';
import type { DockerHints } from './hints.ts';
import { locateService } from './locate.ts';

const APP_SERVICES: readonly AppService[] = ['api', 'worker'];

/**
 * The api and worker containers through the Engine API. `apply: auto` is decided once per
 * target (a run, a kill switch), before its first flag write, so every apply of that run —
 * the rollback too — goes the same way.
 */
export function engineContainers(
  http: EngineHttp,
  config: ComposeDriverConfig,
  timeoutMs: number,
  hints: DockerHints,
  readEnvFile: () => Promise<string> = async () => '',
): Containers {
  let decided: Promise<Observed<ApplyDecision>> | undefined;
  const options = (signal: AbortSignal) => ({ signal, timeoutMs });

  async function states(signal: AbortSignal): Promise<Observed<readonly ServiceState[]>> {
    const fileVars = await envFileEntries(readEnvFile);
    const found = await Promise.all(
      APP_SERVICES.map((s) => serviceState(http, config, s, fileVars, options(signal), hints)),
    );
    const failed = found.find((f) => !f.ok);
    if (failed && !failed.ok) return failed;
    return { ok: true, value: found.map((f) => (f as { value: ServiceState }).value) };
  }

  return {
    states,
    applyMode(signal) {
      if (config.apply !== 'auto') {
        return Promise.resolve({
          ok: true,
          value: { mode: config.apply, why: `driver.apply: ${config.apply}` },
        });
      }
      // A failed look is not a decision: the next apply asks again.
      decided ??= decideApply(states, signal).then((d) => {
        if (!d.ok) decided = undefined;
        return d;
      });
      return decided;
    },
    async lastLines(service, count, signal) {
      const found = await locateService(http, config, config.services[service], options(signal), hints);
      if (!found.ok) return '';
      const logs = await logsSince(http, found.container.Id, new Date(0), {
        ...options(signal),
        outputCap: 64 * 1024,
      });
      return logs.ok ? logs.value.split('\n').slice(-count).join('\n') : '';
    },
  };
}

/** The rule of `apply: auto`, on what the daemon said about api and worker. */
export async function decideApply(
  states: (signal: AbortSignal) => Promise<Observed<readonly ServiceState[]>>,
  signal: AbortSignal,
): Promise<Observed<ApplyDecision>> {
  const seen = await states(signal);
  if (!seen.ok) return seen;
  return { ok: true, value: applyModeFor(seen.value) };
}

export function applyModeFor(states: readonly ServiceState[]): ApplyDecision {
  const fixed = states.filter((s) => s.flagAtCreate !== undefined).map((s) => s.name);
  if (fixed.length > 0) {
    return {
      mode: 'recreate',
      fixed,
      why: `${FLAG_VAR} is in the create-time environment of ${fixed.join(' and ')} (env_file: or environment:), which restart does not re-read`,
    };
  }
  // A file without a flag line yet: its other variables show whether env_file: delivers it.
  const fromFile = states.filter((s) => s.fileVarsAtCreate.length > 0);
  if (fromFile.length > 0) {
    const named = fromFile.map((s) => `${s.name} (${s.fileVarsAtCreate.slice(0, 3).join(', ')})`);
    return {
      mode: 'recreate',
      fixed,
      fromFile: named,
      why: `the env file's variables are in the create-time environment of ${named.join(' and ')} (env_file:), which restart does not re-read`,
    };
  }
  return {
    mode: 'restart',
    fixed,
    why: `neither ${FLAG_VAR} nor the env file's variables are in the create-time environment of api or worker: a restart re-reads the file`,
  };
}

/** The env file's variables, or none when it cannot be read or parsed (phase 0 says why). */
async function envFileEntries(read: () => Promise<string>): Promise<ReadonlyMap<string, string>> {
  const text = await read().catch(() => '');
  const parsed = parseEnvFile(text);
  return parsed.ok ? parsed.entries : new Map();
}

/** Variables of the file that the container was created with, at the file's value. */
function fromFileAtCreate(created: ReadonlyMap<string, string>, file: ReadonlyMap<string, string>): string[] {
  return [...file]
    .filter(([key, value]) => key !== FLAG_VAR && created.get(key) === value)
    .map(([key]) => key);
}

/** One service's container as the daemon describes it: status, exit code, restarts, the flag it started with. */
async function serviceState(
  http: EngineHttp,
  config: ComposeDriverConfig,
  service: AppService,
  fileVars: ReadonlyMap<string, string>,
  options: { signal: AbortSignal; timeoutMs: number },
  hints: DockerHints,
): Promise<Observed<ServiceState>> {
  const name = config.services[service];
  const found = await locateService(http, config, name, options, hints);
  if (!found.ok) return { ok: false, message: found.message, hint: found.hint };
  const inspected = await inspectContainer(http, found.container.Id, options);
  if (!inspected.ok) return { ok: false, message: inspected.message, hint: hints.notDescribed() };
  const { State, RestartCount } = inspected.value;
  const created = envOf(inspected.value);
  return {
    ok: true,
    value: {
      service,
      name: found.name,
      status: State.Status,
      exitCode: State.ExitCode,
      restartCount: RestartCount,
      startedAt: State.StartedAt,
      flagAtCreate: created.get(FLAG_VAR),
      fileVarsAtCreate: fromFileAtCreate(created, fileVars),
    },
  };
}
