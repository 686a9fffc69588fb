import { dockerTimestamp } from '../log-store.ts';
import { type CommandReply, reply, SERVICE_NAMES } from '../types.ts';
import { containerName, type Invocation, isServiceName, pickServices } from './context.ts';
import { type FlagDef, has, lastValue, parseFlags } from './flags.ts';
import { v1Colour, v1Usage } from './v1.ts';

/** Everything `docker-compose logs` 1.25 has: no `--since`, `--until` or `-n`. */
const LOGS_V1_25_FLAGS: readonly FlagDef[] = [
  { long: 'no-color' },
  { long: 'follow', short: 'f' },
  { long: 'timestamps', short: 't' },
  { long: 'tail', value: true },
];

/** 1.28 added `--no-log-prefix`. */
const LOGS_V1_FLAGS: readonly FlagDef[] = [...LOGS_V1_25_FLAGS, { long: 'no-log-prefix' }];

/**
 * `docker-compose logs` 1.29: `Attaching to …` first, then each container's lines under a
 * prefix padded to the project's longest service name plus three, coloured even off a TTY.
 */
export function logsV1(inv: Invocation, argv: readonly string[]): CommandReply {
  const known = inv.project.v1Release === '1.25.0' ? LOGS_V1_25_FLAGS : LOGS_V1_FLAGS;
  const parsed = parseFlags(argv, known, true);
  if (!parsed.ok) return v1Usage('logs');
  const unknown = parsed.args.find((a) => !isServiceName(a));
  if (unknown !== undefined) return reply(1, '', `No such service: ${unknown}\n`);
  const picked = pickServices(parsed.args);
  if (!picked.ok) return picked.reply;
  const { flags } = parsed;
  if (has(flags, 'follow')) return reply(1, '', 'hunter-sim: `logs --follow` is not simulated\n');
  const tailText = lastValue(flags, 'tail') ?? 'all';
  if (tailText !== 'all' && !/^\d+$/.test(tailText)) {
    return reply(1, '', 'tail flag must be all or a number\n');
  }
  if (!inv.ours) return reply(0, 'Attaching to \n');
  const tail = tailText === 'all' ? undefined : Number(tailText);
  const names = picked.services.map((s) => containerName(inv.projectName, s, 'v1'));
  const width = Math.max(...SERVICE_NAMES.map((s) => s.length)) + 3;
  const out = [`Attaching to ${names.join(', ')}\n`];
  picked.services.forEach((service, index) => {
    const colour = has(flags, 'no-color') ? (text: string) => text : v1Colour(index);
    const prefix = has(flags, 'no-log-prefix') ? '' : `${colour(`${`${service}_1`.padEnd(width)} |`)} `;
    for (const line of inv.project.logs.query({ services: [service], tail })) {
      const stamp = has(flags, 'timestamps') ? `${dockerTimestamp(line)} ` : '';
      out.push(`${prefix}${stamp}${line.text}\n`);
    }
  });
  return reply(0, out.join(''));
}
