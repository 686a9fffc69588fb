import { APP_DIR } from '../token-cache.ts';
import { type CommandReply, reply, type ServiceName } from '../types.ts';
import { type Invocation, isServiceName, usageError } from './context.ts';
import { type FlagDef, lastValue, parseFlags } from './flags.ts';
import { alembic, celery, install, mv, printenv, sha256sum } from './programs.ts';
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
  api: { alembic, printenv, install, mv, sha256sum, sh },
  worker: { celery, printenv, install, sha256sum, sh },
  postgres: { printenv },
  redis: { printenv },
};

/** `exec [-T] [-e K=V]… [-w DIR] SERVICE COMMAND [ARG…]`. */
export async function exec(inv: Invocation, argv: readonly string[]): Promise<CommandReply> {
  const parsed = parseFlags(argv, EXEC_FLAGS, false);
  if (!parsed.ok) return usageError(parsed.error, 'exec');
  const [service, program, ...args] = parsed.args;
  if (service === undefined || program === undefined) {
    return usageError(`"docker compose exec" requires at least 2 arguments.`, 'exec');
  }
  if (!isServiceName(service)) return reply(1, '', `no such service: ${service}\n`);
  const container = inv.ours ? inv.project.deployment.container(service) : undefined;
  if (!container?.running) return reply(1, '', `service "${service}" is not running\n`);
  const env: Record<string, string> = { ...container.env };
  for (const pair of parsed.flags.get('env') ?? []) {
    const at = pair.indexOf('=');
    if (at > 0) env[pair.slice(0, at)] = pair.slice(at + 1);
  }
  const workdir = lastValue(parsed.flags, 'workdir') ?? APP_DIR;
  // `/usr/local/bin/alembic` is the same program as `alembic`.
  const name = /^\/(usr\/(local\/)?)?s?bin\//.test(program)
    ? program.slice(program.lastIndexOf('/') + 1)
    : program;
  const run = Object.hasOwn(PROGRAMS[service], name) ? PROGRAMS[service][name] : undefined;
  if (!run) {
    return reply(
      127,
      '',
      `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": ` +
        'executable file not found in $PATH: unknown\n',
    );
  }
  return run({ inv, service, args, env, workdir });
}
