import type { EngineResult } from '../docker/engine.ts';
import type { ExecDone } from '../docker/exec.ts';
import type { CommandResult } from '../port.ts';
import type { DockerHints } from './hints.ts';

const NOT_FOUND = /executable file not found|no such file or directory/i;
/** v2: `env file /p/.env not found: stat …`; v1 and v2's `--env-file`: `Couldn't find env file: /p/.env`. */
const ENV_FILE_MISSING = /env file (\S+) not found|couldn't find env file:?\s*(\S+)/i;

/** An Engine API exec as the phases know a command: exit code, output, and a hint when it is clear. */
export function execOutcome(
  shown: string,
  service: string,
  res: EngineResult<ExecDone>,
  started: number,
  timeoutMs: number,
  hints: DockerHints,
): CommandResult {
  const ms = Math.round(performance.now() - started);
  if (res.ok) {
    const { exitCode, stdout, stderr } = res.value;
    if (exitCode === 0) return { ok: true, exitCode: 0, stdout, stderr, ms };
    return exitedInService(
      { ok: false, reason: 'exit', exitCode, stdout, stderr, ms, message: '' },
      shown,
      service,
      hints,
    );
  }
  const empty = { stdout: '', stderr: '', ms };
  if (res.reason === 'cancelled')
    return { ok: false, reason: 'cancelled', ...empty, message: `\`${shown}\` in ${service} was cancelled` };
  if (res.reason === 'timeout') {
    return {
      ok: false,
      reason: 'timeout',
      ...empty,
      message: `\`${shown}\` in ${service} did not finish within ${Math.round(timeoutMs / 1000)} s; pc-verify stopped waiting (the process may still run in the container)`,
    };
  }
  if (res.reason === 'daemon' && res.status === 409) {
    return {
      ok: false,
      reason: 'unavailable',
      ...empty,
      message: `service ${service} is not running (${res.message})`,
      hint: hints.notRunning(service),
    };
  }
  return { ok: false, reason: 'unavailable', ...empty, message: res.message, hint: hints.engine(res.reason) };
}

type Failed = Extract<CommandResult, { ok: false }>;

/** A command in a service that exited non-zero: runc's 126/127 for a missing program gets its own words. */
function exitedInService(res: Failed, shown: string, service: string, hints: DockerHints): Failed {
  const code = res.exitCode ?? 1;
  const missing = (code === 126 || code === 127) && NOT_FOUND.test(`${res.stdout}${res.stderr}`);
  const program = shown.split(' ')[0] ?? shown;
  if (!missing) return { ...res, message: `\`${shown}\` in ${service} exited with code ${code}` };
  return {
    ...res,
    message: `\`${shown}\` in ${service}: executable not found (exit ${code})`,
    hint: hints.noProgram(service, program),
  };
}

/**
 * A compose CLI run as the phases know it: what compose said on stderr, read for the hint a
 * person needs. `exec`: the command it ran in the service, so a program the image lacks (runc's
 * exit 126, relayed on stdout) and a stopped service (v2's `service "api" is not running`) are
 * named as the Engine API path names them.
 */
export function cliOutcome(
  res: CommandResult,
  hints: DockerHints,
  exec?: { readonly service: string; readonly cmd: readonly string[] },
): CommandResult {
  if (res.ok || res.reason !== 'exit' || res.hint !== undefined) return res;
  const envFile = ENV_FILE_MISSING.exec(res.stderr);
  const path = envFile?.[1] ?? envFile?.[2];
  if (path !== undefined) return { ...res, hint: hints.envFileMissing(path) };
  if (exec === undefined) return res;
  if (/service "[^"]+" is not running/.test(res.stderr)) {
    return { ...res, hint: hints.notRunning(exec.service) };
  }
  const missing = exitedInService(res, exec.cmd.join(' '), exec.service, hints);
  return missing.hint === undefined ? res : { ...res, hint: missing.hint };
}

/** Neither `docker compose` nor `docker-compose` answered `version`: `why` says what each said. */
export function noComposeCli(why: string, hints: Pick<DockerHints, 'noCompose'>): CommandResult {
  return { ok: false, reason: 'spawn', stdout: '', stderr: '', ms: 0, message: why, hint: hints.noCompose() };
}
