import { dockerTimestamp, type LogLine } from '../log-store.ts';
import { type CommandReply, reply } from '../types.ts';
import { type Invocation, pickServices, usageError } from './context.ts';
import { type FlagDef, has, lastValue, parseFlags } from './flags.ts';
import { logsV1 } from './logs-v1.ts';

const LOGS_FLAGS: readonly FlagDef[] = [
  { long: 'no-log-prefix' },
  { long: 'since', value: true },
  { long: 'until', value: true },
  { long: 'timestamps', short: 't' },
  { long: 'follow', short: 'f' },
  { long: 'tail', short: 'n', value: true },
  { long: 'no-color' },
  { long: 'index', value: true },
];

/** `logs [--no-log-prefix] [--since T] [--until T] [-t] [-n N] [SERVICE…]`. */
export function logs(inv: Invocation, argv: readonly string[]): CommandReply {
  if (inv.project.cli === 'v1') return logsV1(inv, argv);
  const parsed = parseFlags(argv, LOGS_FLAGS, true);
  if (!parsed.ok) return usageError(parsed.error, 'logs');
  const picked = pickServices(parsed.args);
  if (!picked.ok) return picked.reply;
  const { flags } = parsed;
  if (has(flags, 'follow')) return reply(1, '', 'hunter-sim: `logs --follow` is not simulated\n');
  const since = timeArg(lastValue(flags, 'since'), 'since');
  const until = timeArg(lastValue(flags, 'until'), 'until');
  if (!since.ok) return since.reply;
  if (!until.ok) return until.reply;
  const tailText = lastValue(flags, 'tail') ?? 'all';
  const tail = tailText === 'all' ? undefined : Number(tailText);
  if (tail !== undefined && !Number.isInteger(tail)) {
    return reply(1, '', `Error response from daemon: invalid value for "tail": "${tailText}"\n`);
  }
  if (!inv.ours) return reply(0);
  const lines = inv.project.logs.query({ services: picked.services, since: since.at, until: until.at, tail });
  const prefixWidth = Math.max(...picked.services.map((s) => `${s}-1`.length)) + 1;
  const out = lines
    .sort((a, b) => a.at.getTime() - b.at.getTime())
    .map((line) =>
      render(line, { prefix: !has(flags, 'no-log-prefix'), stamps: has(flags, 'timestamps'), prefixWidth }),
    );
  return reply(0, out.map((l) => `${l}\n`).join(''));
}

function render(line: LogLine, how: { prefix: boolean; stamps: boolean; prefixWidth: number }): string {
  const stamp = how.stamps ? `${dockerTimestamp(line)} ` : '';
  const prefix = how.prefix ? `${`${line.service}-1`.padEnd(how.prefixWidth)} | ` : '';
  return `${prefix}${stamp}${line.text}`;
}

type TimeArg = { ok: true; at: Date | undefined } | { ok: false; reply: CommandReply };

/** Docker's `--since`/`--until`: RFC 3339 (date or date-time), Unix seconds, or a duration ago. */
function timeArg(text: string | undefined, name: string): TimeArg {
  if (text === undefined || text === '') return { ok: true, at: undefined };
  const duration = /^(\d+(?:\.\d+)?)(ns|us|ms|s|m|h)$/.exec(text);
  if (duration) {
    const unitMs = { ns: 1e-6, us: 1e-3, ms: 1, s: 1_000, m: 60_000, h: 3_600_000 }[duration[2] as 'ns'];
    return { ok: true, at: new Date(Date.now() - Number(duration[1]) * unitMs) };
  }
  if (/^\d+(\.\d+)?$/.test(text)) return { ok: true, at: new Date(Number(text) * 1000) };
  if (/^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})?)?$/.test(text)) {
    // No zone means local time to Docker; the simulated host runs on UTC.
    const withZone = /T.*(Z|[+-]\d{2}:\d{2})$/.test(text) || !text.includes('T') ? text : `${text}Z`;
    const at = new Date(withZone);
    if (!Number.isNaN(at.getTime())) return { ok: true, at };
  }
  return {
    ok: false,
    reply: reply(
      1,
      '',
      `invalid value for "${name}": failed to parse value as time or duration: "${text}"\n`,
    ),
  };
}
