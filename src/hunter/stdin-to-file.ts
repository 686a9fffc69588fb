/**
 * Writes a program's stdin into a file, mode 0600 from the first byte, replaced atomically.
 *
 * `install -m 600 /dev/stdin FILE` opens `/dev/stdin`, which fails when stdin is a socket, and
 * Node gives a child a socket, not a pipe (`install: cannot open '/dev/stdin' for reading: No
 * such device or address`). `cat` only reads fd 0, so this works whatever stdin is: behind
 * `docker compose exec`, ssh, or on the same host. The temp file is removed first (a stale one
 * could keep a wider mode) and on any failure; `mv` makes the new cache appear whole or not at all.
 * The path is `$1`, an argv item, never part of the script.
 */
export const STDIN_TO_FILE_SCRIPT =
  'umask 077 && rm -f -- "$1.tmp" && cat > "$1.tmp" && chmod 600 -- "$1.tmp" && mv -f -- "$1.tmp" "$1" ' +
  '|| { rm -f -- "$1.tmp"; exit 1; }';

/** `sh -c SCRIPT sh PATH`: the argv that writes stdin to `path` (inside a container, or here). */
export function stdinToFileArgv(path: string): string[] {
  return ['sh', '-c', STDIN_TO_FILE_SCRIPT, 'sh', path];
}

/** What `install`/`cp`/`tee` print when they were asked to open `/dev/stdin` and it is a socket. */
export function openedStdinAsFile(stderr: string): boolean {
  return /cannot open '\/dev\/stdin'|\/dev\/stdin: No such device or address/.test(stderr);
}
