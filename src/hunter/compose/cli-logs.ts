import { compareStamp, stampedLines } from '../docker/logs.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: colour codes are what is being removed
const ANSI = /\u001b\[[0-9;]*m/g;
/** v1's `worker_1    | ` (padded to the longest service name), v2's `worker-1  | `. */
const PREFIX = /^[A-Za-z0-9_.-]+\s*\| /;

/**
 * `compose logs -t` output cut at `since`: colour codes and service prefixes removed (a CLI
 * that ignored `--no-color` / `--no-log-prefix`), v1's `Attaching to …` banner dropped, and only
 * lines stamped at or after `since` kept, without their stamps.
 */
export function linesSinceFromCli(stdout: string, since: Date): string {
  const cleaned = stdout
    .replace(ANSI, '')
    .split('\n')
    .map((line) => line.replace(PREFIX, ''))
    .join('\n');
  return stampedLines(cleaned)
    .filter((line) => compareStamp(line.stamp, since) >= 0)
    .map((line) => line.text)
    .join('\n');
}

/**
 * A compose CLI that did not understand an option prints its usage on stderr and, in v1,
 * exits 0 with nothing on stdout: that is not "no output", it is a refusal.
 */
export function ignoredOption(stdout: string, stderr: string): boolean {
  return stdout.trim() === '' && /^\s*Usage:/m.test(stderr);
}
