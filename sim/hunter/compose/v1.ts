/**
 * What `docker-compose` 1.29 (Python, docopt) says where it differs from v2: its usage texts,
 * its progress lines and its version. Its option parser never fails a subcommand: an option it
 * does not know prints the subcommand's usage on stderr and exits 0 with stdout empty, so a
 * caller that trusts the exit code sees "nothing happened" as success.
 */
import { type CommandReply, reply } from '../types.ts';

const USAGE: Readonly<Record<string, string>> = {
  logs: [
    'View output from containers.',
    '',
    'Usage: logs [options] [--] [SERVICE...]',
    '',
    'Options:',
    '    --no-color              Produce monochrome output.',
    '    -f, --follow            Follow log output.',
    '    -t, --timestamps        Show timestamps.',
    '    --tail="all"            Number of lines to show from the end of the logs',
    '                            for each container.',
    "    --no-log-prefix         Don't print prefix in logs.",
  ].join('\n'),
  restart: 'Restart running containers.\n\nUsage: restart [options] [--] [SERVICE...]',
  up: 'Builds, (re)creates, starts, and attaches to containers for a service.\n\nUsage: up [options] [--scale SERVICE=NUM...] [--] [SERVICE...]',
  ps: 'List containers.\n\nUsage: ps [options] [--] [SERVICE...]',
  version: 'Show version information and quit.\n\nUsage: version [--short]',
};

/** docopt's answer to an option the subcommand does not have: usage on stderr, exit 0. */
export function v1Usage(sub: string): CommandReply {
  const text = USAGE[sub];
  return reply(0, '', text === undefined ? '' : `${text}\n`);
}

/** Global options come before the subcommand; an unknown one is an error (exit 1). */
export function v1GlobalUsage(): CommandReply {
  return reply(
    1,
    '',
    'Define and run multi-container applications with Docker.\n\nUsage:\n' +
      '  docker-compose [-f <arg>...] [--profile <name>...] [options] [--] [COMMAND] [ARGS...]\n' +
      '  docker-compose -h|--help\n',
  );
}

export function v1Version(argv: readonly string[], release: string): CommandReply {
  if (argv.length === 0) {
    return reply(
      0,
      `docker-compose version ${release}, build unknown\ndocker-py version: 5.0.3\n` +
        'CPython version: 3.11.2\nOpenSSL version: OpenSSL 3.0.19 27 Jan 2026\n',
    );
  }
  if (argv.length === 1 && argv[0] === '--short') return reply(0, `${release}\n`);
  return v1Usage('version');
}

export const V1_NO_COMPOSE_FILE =
  "Can't find a suitable configuration file in this directory or any\n" +
  '        parent directories. Are you in the right directory?\n\n' +
  '        Supported filenames: docker-compose.yml, docker-compose.yaml, compose.yml, compose.yaml\n';

/**
 * v1's progress on stderr without a TTY: one line per container when the step starts, one
 * with `done` when it ends, names padded to the longest, CRLF line ends.
 */
export function v1Progress(verb: string, names: readonly string[]): string {
  const width = Math.max(0, ...names.map((n) => n.length));
  const line = (name: string, end: string) => `${verb} ${name.padEnd(width)} ... ${end}\r\n`;
  return [...names.map((n) => line(n, '')), ...names.map((n) => line(n, 'done'))].join('');
}

/** v1 colours each container's prefix even off a TTY, cycling through these (`--no-color` drops them). */
const RAINBOW = ['36', '33', '32', '35', '34', '36;1', '33;1', '32;1', '35;1', '34;1'];

export function v1Colour(index: number): (text: string) => string {
  const code = RAINBOW[index % RAINBOW.length]!;
  return (text) => `\u001b[${code}m${text}\u001b[0m`;
}
