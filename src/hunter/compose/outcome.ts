import type { EngineResult } from '../docker/engine.ts';
import type { ExecDone } from '../docker/exec.ts';
import type { CommandResult } from '../port.ts';
import { engineHint } from './locate.ts';

const NOT_FOUND = /executable file not found|no such file or directory/i;

/** An Engine API exec as the phases know a command: exit code, output, and a hint when it is clear. */
export function execOutcome(
  shown: string,
  service: string,
  res: EngineResult<ExecDone>,
  started: number,
  timeoutMs: number,
  host: string,
): CommandResult {
  const ms = Math.round(performance.now() - started);
  if (res.ok) {
    const { exitCode, stdout, stderr } = res.value;
    if (exitCode === 0) return { ok: true, exitCode: 0, stdout, stderr, ms };
    const missing = (exitCode === 126 || exitCode === 127) && NOT_FOUND.test(`${stdout}${stderr}`);
    const program = shown.split(' ')[0];
    return {
      ok: false,
      reason: 'exit',
      exitCode,
      stdout,
      stderr,
      ms,
      message: missing
        ? `\`${shown}\` in ${service}: executable not found (exit ${exitCode})`
        : `\`${shown}\` in ${service} exited with code ${exitCode}`,
      ...(missing
        ? {
            hint: `The ${service} image has no \`${program}\` on its PATH: install it in the image (Debian's python3-* packages ship only the libraries, not the commands), rebuild, and run again.`,
          }
        : {}),
    };
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
      hint: `Start it (\`docker compose up -d ${service}\` in the project directory) and look at its logs for why it stopped; then run again.`,
    };
  }
  return {
    ok: false,
    reason: 'unavailable',
    ...empty,
    message: res.message,
    hint: engineHint(res.reason, host),
  };
}
