import type { Container } from '../deployment.ts';
import { type CommandReply, reply, type ServiceName } from '../types.ts';
import { containerName, type Invocation, pickServices, usageError } from './context.ts';
import { type FlagDef, has, lastValue, parseFlags } from './flags.ts';
import { v1Usage } from './v1.ts';

const PS_FLAGS: readonly FlagDef[] = [
  { long: 'all', short: 'a' },
  { long: 'format', value: true },
  { long: 'quiet', short: 'q' },
  { long: 'services' },
  { long: 'status', value: true },
  { long: 'filter', value: true },
  { long: 'no-trunc' },
  { long: 'orphans' },
];

/** `ps` 1.29 has no `--format`: the table is all it prints. */
const PS_V1_FLAGS: readonly FlagDef[] = [
  { long: 'all', short: 'a' },
  { long: 'quiet', short: 'q' },
  { long: 'services' },
  { long: 'filter', value: true },
];

const IMAGES: Record<ServiceName, { image: string; command: string; port?: number }> = {
  api: { image: 'dyn365hunter:latest', command: '"uvicorn app.main:ap…"', port: 8000 },
  worker: { image: 'dyn365hunter:latest', command: '"celery -A app.core…"' },
  postgres: { image: 'postgres:16-alpine', command: '"docker-entrypoint.s…"', port: 5432 },
  redis: { image: 'redis:7-alpine', command: '"docker-entrypoint.s…"', port: 6379 },
};

/** `ps [-a] [--format json|table] [-q] [--services] [SERVICE…]` (running containers unless -a). */
export function ps(inv: Invocation, argv: readonly string[]): CommandReply {
  const v1 = inv.project.cli === 'v1';
  const parsed = parseFlags(argv, v1 ? PS_V1_FLAGS : PS_FLAGS, true);
  if (!parsed.ok) return v1 ? v1Usage('ps') : usageError(parsed.error, 'ps');
  const picked = pickServices(parsed.args, inv.project.cli);
  if (!picked.ok) return picked.reply;
  const { flags } = parsed;
  const format = lastValue(flags, 'format') ?? 'table';
  if (format !== 'json' && format !== 'table') {
    return reply(1, '', 'hunter-sim: only `--format json` and `--format table` are simulated\n');
  }
  const shown = inv.ours
    ? picked.services
        .map((s) => inv.project.deployment.container(s))
        .filter((c) => c.running || has(flags, 'all'))
    : [];
  if (has(flags, 'services')) return reply(0, shown.map((c) => `${c.service}\n`).join(''));
  if (has(flags, 'quiet')) return reply(0, shown.map((c) => `${c.id}\n`).join(''));
  const rows = shown.map((c) => row(inv, c));
  if (v1) return reply(0, tableV1(rows));
  if (format === 'json') return reply(0, rows.map((r) => `${JSON.stringify(r)}\n`).join(''));
  return reply(0, table(rows));
}

function row(inv: Invocation, c: Container) {
  const name = containerName(inv.projectName, c.service, inv.project.cli);
  const spec = IMAGES[c.service];
  const published = c.service === 'api' ? inv.project.apiPort() : undefined;
  const ports =
    spec.port === undefined
      ? ''
      : published
        ? `127.0.0.1:${published}->${spec.port}/tcp`
        : `${spec.port}/tcp`;
  return {
    Command: spec.command,
    CreatedAt: `${c.createdAt.toISOString().slice(0, 19).replace('T', ' ')} +0000 UTC`,
    ExitCode: c.running ? 0 : c.exitCode,
    Health: '',
    ID: c.id,
    Image: spec.image,
    Labels: `com.docker.compose.project=${inv.projectName},com.docker.compose.service=${c.service}`,
    LocalVolumes: '0',
    Mounts: '',
    Name: name,
    Names: name,
    Networks: `${inv.projectName}_default`,
    Ports: ports,
    Project: inv.projectName,
    Publishers: published
      ? [{ URL: '127.0.0.1', TargetPort: spec.port, PublishedPort: published, Protocol: 'tcp' }]
      : [],
    RunningFor: ago(c.createdAt),
    Service: c.service,
    Size: '0B',
    State: c.running ? 'running' : 'exited',
    Status: c.running
      ? `Up ${ago(c.startedAt).replace(/ ago$/, '')}`
      : `Exited (${c.exitCode}) ${ago(c.startedAt)}`,
  };
}

function table(rows: ReturnType<typeof row>[]): string {
  const header = ['NAME', 'IMAGE', 'COMMAND', 'SERVICE', 'CREATED', 'STATUS', 'PORTS'];
  const cells = rows.map((r) => [r.Name, r.Image, r.Command, r.Service, r.RunningFor, r.Status, r.Ports]);
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (cols: string[]) =>
    `${cols
      .map((c, i) => c.padEnd(widths[i]! + 3))
      .join('')
      .trimEnd()}\n`;
  return [line(header), ...cells.map(line)].join('');
}

/** v1's table: name, command, state, ports under a rule of dashes. */
function tableV1(rows: ReturnType<typeof row>[]): string {
  const cells = rows.map((r) => [
    r.Name,
    r.Command.replace(/^"|"$/g, ''),
    r.State === 'running' ? 'Up' : `Exit ${r.ExitCode}`,
    r.Ports,
  ]);
  const header = ['Name', 'Command', 'State', 'Ports'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => c[i]!.length)));
  const line = (cols: string[]) =>
    `${cols
      .map((c, i) => c.padEnd(widths[i]! + 3))
      .join('')
      .trimEnd()}\n`;
  const rule = `${'-'.repeat(widths.reduce((a, w) => a + w + 3, 0) - 3)}\n`;
  return [line(header), rule, ...cells.map(line)].join('');
}

/** Docker's human durations: "About a minute ago", "5 seconds ago". */
function ago(since: Date): string {
  const s = Math.max(1, Math.round((Date.now() - since.getTime()) / 1000));
  if (s < 60) return `${s} second${s === 1 ? '' : 's'} ago`;
  const m = Math.round(s / 60);
  if (m === 1) return 'About a minute ago';
  if (m < 60) return `${m} minutes ago`;
  const h = Math.round(m / 60);
  return h === 1 ? 'About an hour ago' : `${h} hours ago`;
}
