import { execa } from 'execa';
import type { CommandResult } from './port.ts';

/** Kept from each stream; Hunter's logs can be long, and the end is what a person reads. */
const OUTPUT_CAP = 512 * 1024;

export interface ExecOptions {
  readonly cwd: string;
  readonly timeoutMs: number;
  readonly signal: AbortSignal;
  readonly stdin?: string;
  /** Added to the inherited environment (e.g. `DOCKER_HOST` for the compose CLI). */
  readonly env?: Readonly<Record<string, string>>;
  /** Applied to the one-line message; stdout and stderr are returned raw for parsing. */
  readonly redact: (text: string) => string;
}

/**
 * The one way pc-verify starts a process: an argv array (never a shell), a deadline, a
 * cancellation signal, capped output, and a message that says what ran and what happened.
 */
export async function runArgv(argv: readonly string[], options: ExecOptions): Promise<CommandResult> {
  const [file, ...args] = argv;
  if (file === undefined) throw new Error('runArgv: empty argv (a driver bug)');
  const started = performance.now();
  const result = await execa(file, args, {
    cwd: options.cwd,
    ...(options.env ? { env: options.env } : {}),
    input: options.stdin ?? '',
    timeout: options.timeoutMs,
    cancelSignal: options.signal,
    forceKillAfterDelay: 2_000,
    maxBuffer: OUTPUT_CAP * 4,
    reject: false,
    stripFinalNewline: true,
    shell: false,
  });
  const ms = Math.round(performance.now() - started);
  // Output stays raw so checks can parse it (printenv values, task ids); whatever is shown to a
  // person goes through the phase runner, which redacts every observed text.
  const stdout = keepTail(String(result.stdout ?? ''));
  const stderr = keepTail(String(result.stderr ?? ''));
  return outcomeOf(result, { stdout, stderr, ms }, options.redact(argv.join(' ')), options);
}

/** What execa reported about a finished (or stopped) process, as read here. */
interface Finished {
  readonly isCanceled: boolean;
  readonly timedOut: boolean;
  readonly isMaxBuffer: boolean;
  readonly exitCode?: number | undefined;
  readonly signal?: string | undefined;
  readonly shortMessage?: string | undefined;
}

/** The run as a result: cancelled, timed out, killed, never started, failed or passed. */
function outcomeOf(
  result: Finished,
  output: { stdout: string; stderr: string; ms: number },
  shown: string,
  options: ExecOptions,
): CommandResult {
  const failed = (reason: 'exit' | 'timeout' | 'cancelled' | 'spawn', message: string, exitCode?: number) =>
    ({ ok: false, reason, ...(exitCode === undefined ? {} : { exitCode }), ...output, message }) as const;
  if (result.isCanceled) return failed('cancelled', `\`${shown}\` was cancelled`);
  if (result.timedOut)
    return failed(
      'timeout',
      `\`${shown}\` did not finish within ${Math.round(options.timeoutMs / 1000)} s and was stopped`,
    );
  // Killed by a signal (the OOM killer, the output cap): it ran, so not a "could not start".
  if (result.exitCode === undefined && result.signal !== undefined) {
    const why = result.isMaxBuffer ? ' after its output passed the cap' : '';
    return failed('exit', `\`${shown}\` was killed by ${result.signal}${why}`);
  }
  if (result.exitCode === undefined) {
    const why = options.redact(result.shortMessage ?? 'it could not be started');
    return failed('spawn', `\`${shown}\` failed to start: ${why}`);
  }
  if (result.exitCode !== 0)
    return failed('exit', `\`${shown}\` exited with code ${result.exitCode}`, result.exitCode);
  return { ok: true, exitCode: 0, ...output };
}

function keepTail(text: string): string {
  return text.length <= OUTPUT_CAP
    ? text
    : `… (${text.length - OUTPUT_CAP} earlier chars cut)\n${text.slice(-OUTPUT_CAP)}`;
}
