import { type CommandReply, reply, type ServiceName } from '../types.ts';
import { containerName, type Invocation, pickServices, usageError } from './context.ts';
import { type FlagDef, has, parseFlags } from './flags.ts';
import { v1Progress, v1Usage } from './v1.ts';

const RESTART_FLAGS: readonly FlagDef[] = [
  { long: 'timeout', short: 't', value: true },
  { long: 'no-deps' },
  { long: 'dry-run' },
];

const RESTART_V1_FLAGS: readonly FlagDef[] = [{ long: 'timeout', short: 't', value: true }];

/** The `up` flags both versions have. */
const UP_COMMON_FLAGS: readonly FlagDef[] = [
  { long: 'detach', short: 'd' },
  { long: 'no-deps' },
  { long: 'force-recreate' },
  { long: 'no-recreate' },
  { long: 'build' },
  { long: 'no-build' },
  { long: 'no-start' },
  { long: 'remove-orphans' },
  { long: 'quiet-pull' },
  { long: 'timeout', short: 't', value: true },
];

const UP_FLAGS: readonly FlagDef[] = [
  ...UP_COMMON_FLAGS,
  { long: 'wait' },
  { long: 'wait-timeout', value: true },
  { long: 'pull', value: true },
  { long: 'dry-run' },
];

/** What `up` 1.29 has (no `--wait`, `--pull`, `--dry-run`): anything else prints usage, exit 0. */
const UP_V1_FLAGS: readonly FlagDef[] = [
  ...UP_COMMON_FLAGS,
  { long: 'always-recreate-deps' },
  { long: 'renew-anon-volumes', short: 'V' },
  { long: 'no-color' },
];

function names(inv: Invocation, services: readonly ServiceName[]): string[] {
  return services.map((s) => containerName(inv.projectName, s, inv.project.cli));
}

/** `restart [SERVICE…]`: plain progress on stderr, as compose prints without a TTY. */
export async function restart(inv: Invocation, argv: readonly string[]): Promise<CommandReply> {
  const v1 = inv.project.cli === 'v1';
  const parsed = parseFlags(argv, v1 ? RESTART_V1_FLAGS : RESTART_FLAGS, true);
  if (!parsed.ok) return v1 ? v1Usage('restart') : usageError(parsed.error, 'restart');
  const picked = pickServices(parsed.args, inv.project.cli);
  if (!picked.ok) return picked.reply;
  if (!inv.ours) return reply(0);
  const shown = names(inv, picked.services);
  await holdBeforeApply(inv, picked.services);
  await inv.project.deployment.restart(picked.services, inv.call.signal);
  if (v1) return reply(0, '', v1Progress('Restarting', shown));
  return reply(
    0,
    '',
    progress([...shown.map((n) => [n, 'Restarting']), ...shown.map((n) => [n, 'Started'])]),
  );
}

/** `up -d [--no-deps] [--force-recreate] [SERVICE…]`. */
export async function up(inv: Invocation, argv: readonly string[]): Promise<CommandReply> {
  const v1 = inv.project.cli === 'v1';
  const parsed = parseFlags(argv, v1 ? UP_V1_FLAGS : UP_FLAGS, true);
  if (!parsed.ok) return v1 ? v1Usage('up') : usageError(parsed.error, 'up');
  const picked = pickServices(parsed.args, inv.project.cli);
  if (!picked.ok) return picked.reply;
  const { flags } = parsed;
  if (!has(flags, 'detach')) {
    return reply(
      1,
      '',
      'hunter-sim: `up` without -d (attached, streaming logs) is not simulated; use `up -d`\n',
    );
  }
  if (has(flags, 'force-recreate') && has(flags, 'no-recreate')) {
    return reply(1, '', '--force-recreate and --no-recreate are incompatible\n');
  }
  if (!inv.ours) return portTaken(inv);
  const { deployment } = inv.project;
  const services = has(flags, 'no-deps') ? picked.services : withDependencies(picked.services);
  const recreate = services.filter(
    (s) => !has(flags, 'no-recreate') && (has(flags, 'force-recreate') || deployment.configChanged(s)),
  );
  const start = services.filter((s) => !recreate.includes(s) && !deployment.container(s).running);
  const running = services.filter((s) => !recreate.includes(s) && !start.includes(s));
  await holdBeforeApply(inv, [...recreate, ...start]);
  await deployment.recreate(recreate, inv.call.signal);
  await deployment.start(start);
  if (v1) {
    const upToDate = names(inv, running).map((n) => `${n} is up-to-date\r\n`);
    const text =
      upToDate.join('') +
      v1Progress('Recreating', names(inv, recreate)) +
      v1Progress('Starting', names(inv, start));
    return reply(0, '', text);
  }
  const name = (s: ServiceName) => containerName(inv.projectName, s);
  return reply(
    0,
    '',
    progress([
      ...running.map((s) => [name(s), 'Running']),
      ...recreate.map((s) => [name(s), 'Recreate']),
      ...recreate.map((s) => [name(s), 'Recreated']),
      ...[...recreate, ...start].map((s) => [name(s), 'Starting']),
      ...[...recreate, ...start].map((s) => [name(s), 'Started']),
    ]),
  );
}

/** The test's `apply:before`: only a restart of the app itself counts as applying the flag. */
async function holdBeforeApply(inv: Invocation, services: readonly ServiceName[]): Promise<void> {
  if (!services.some((s) => s === 'api' || s === 'worker')) return;
  const { deployment, pauses } = inv.project;
  await pauses.hold('apply:before', deployment.envFileFlag(), inv.call.signal);
}

/** api and worker depend on postgres and redis. */
function withDependencies(services: readonly ServiceName[]): ServiceName[] {
  const needsDeps = services.some((s) => s === 'api' || s === 'worker');
  const deps: ServiceName[] = needsDeps ? ['postgres', 'redis'] : [];
  return [...new Set([...deps, ...services])];
}

/** Another project name on the same compose file: its api cannot bind the port ours holds. */
function portTaken(inv: Invocation): CommandReply {
  const name = containerName(inv.projectName, 'api');
  const port = inv.project.apiPort();
  return reply(
    1,
    '',
    `Error response from daemon: driver failed programming external connectivity on endpoint ${name}: ` +
      `Bind for 127.0.0.1:${port} failed: port is already allocated\n`,
  );
}

function progress(events: readonly (readonly string[])[]): string {
  return events.map(([name, what]) => ` Container ${name}  ${what}\n`).join('');
}
