import { APP_DIR } from '../token-cache.ts';
import { type CommandReply, reply, type ServiceName } from '../types.ts';
import { type Invocation, isServiceName, usageError } from './context.ts';
import { type FlagDef, lastValue, parseFlags } from './flags.ts';
import { alembic, celery, install, mv, printenv, rm, sha256sum } from './programs.ts';
import { sh } from './sh.ts';

const EXEC_FLAGS: readonly FlagDef[] = [
  { long: 'detach', short: 'd' },
  { long: 'env', short: 'e', value: true },
  { long: 'index', value: true },
  { long: 'no-TTY', short: 'T' },
  { long: 'no-tty' },
  { long: 'privileged' },
  { long: 'user', short: 'u', value: true },
  { long: 'workdir', short: 'w', value: true },
  { long: 'dry-run' },
];

/** What a program inside a container gets: its argv, env, working directory, the call. */
export interface Process {
  readonly inv: Invocation;
  readonly service: ServiceName;
  readonly args: readonly string[];
  readonly env: Readonly<Record<string, string>>;
  readonly workdir: string;
}

type Program = (proc: Process) => CommandReply | Promise<CommandReply>;

/** The programs each image has that the runbook uses; anything else is "not found" as runc says. */
const PROGRAMS: Record<ServiceName, Readonly<Record<string, Program>>> = {
  api: { alembic, printenv, install, mv, rm, sha256sum, sh },
  worker: { celery, printenv, install, sha256sum, sh },
  postgres: { printenv },
  redis: { printenv },
};

/** `exec [-T] [-e K=V]… [-w DIR] SERVICE COMMAND [ARG…]`. */
export async function exec(inv: Invocation, argv: readonly string[]): Promise<CommandReply> {
  const v1 = inv.project.cli === 'v1';
  const parsed = parseFlags(argv, EXEC_FLAGS, false);
  // v1 answers a bad `exec` line with nothing at all, and exit 0.
  if (!parsed.ok) return v1 ? reply(0) : usageError(parsed.error, 'exec');
  const [service, program, ...args] = parsed.args;
  if (service === undefined || program === undefined) {
    return v1 ? reply(0) : reply(1, '', `requires at least 2 arg(s), only received ${parsed.args.length}\n`);
  }
  const container =
    inv.ours && isServiceName(service) ? inv.project.deployment.container(service) : undefined;
  // An unknown service and a stopped one look alike: v2 says so, v1 says nothing.
  if (!container?.running) return reply(1, '', v1 ? '' : `service "${service}" is not running\n`);
  // v1 hands an exec without -T to `docker exec -it`, which wants a terminal on stdin.
  if (v1 && !parsed.flags.has('no-TTY') && !inv.call.stdinTty) {
    return reply(1, '', 'the input device is not a TTY\n');
  }
  const env: Record<string, string> = { ...container.env };
  for (const pair of parsed.flags.get('env') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const workdir = lastValue(parsed.flags, 'workdir') ?? APP_DIR;
  const run = programFor(container.service, program, inv.project.faults().missingProgram);
  // runc's refusal is relayed through the attached stream: stdout, CRLF, exit 126.
  if (!run) return reply(126, `${notFound(program)}\r\n`);
  return run({ inv, service: container.service, args, env, workdir });
}

function notFound(program: string): string {
  return (
    `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": ` +
    'executable file not found in $PATH: unknown'
  );
}

/**
 * The program a service's image has under that name (`/usr/local/bin/alembic` is `alembic`);
 * `missing`: one the image was built without (the `missingProgram` fault).
 */
export function programFor(
  service: ServiceName,
  program: string,
  missing: string | null,
): Program | undefined {
  const name = /^\/(usr\/(local\/)?)?s?bin\//.test(program)
    ? program.slice(program.lastIndexOf('/') + 1)
    : program;
  if (name === missing) return undefined;
  return Object.hasOwn(PROGRAMS[service], name) ? PROGRAMS[service][name] : undefined;
}
