import { type CommandReply, reply } from '../types.ts';
import type { Process } from './exec.ts';
import { readAll, writeInContainer } from './programs.ts';

/**
 * The one shell script the compose driver sends into the api (src/hunter/stdin-to-file.ts; a
 * test keeps the two equal): stdin to `$1`, mode 0600, replaced whole. The simulator has no
 * shell, so any other script is refused rather than half-imitated, except the two the contract
 * tests use to see exit codes pass through (`exit N`, and a SIGKILL: 128 + 9).
 */
export const STDIN_TO_FILE_SCRIPT =
  'umask 077 && rm -f -- "$1.tmp" && cat > "$1.tmp" && chmod 600 -- "$1.tmp" && mv -f -- "$1.tmp" "$1" ' +
  '|| { rm -f -- "$1.tmp"; exit 1; }';

/** `sh -c SCRIPT NAME FILE`. */
export async function sh(proc: Process): Promise<CommandReply> {
  const [flag, script, , file, ...rest] = proc.args;
  if (flag !== '-c' || script === undefined) {
    return reply(2, '', 'hunter-sim: only `sh -c SCRIPT` is simulated\n');
  }
  const exit = /^exit (\d{1,3})$/.exec(script);
  if (exit) return reply(Number(exit[1]) % 256);
  if (script === 'kill -9 $$' || script === 'kill -KILL $$') return reply(137);
  if (script !== STDIN_TO_FILE_SCRIPT || file === undefined || rest.length > 0) {
    return reply(2, '', `hunter-sim: this shell script is not simulated: ${script}\n`);
  }
  const content = await readAll(proc.inv.call.stdin, proc.inv.call.signal);
  return writeInContainer(proc, file, content, 0o600);
}
