import { readFileSync } from 'node:fs';

/** CPU seconds used so far by this process, and by the child processes it has waited for. */
export interface CpuSnapshot {
  readonly selfSec: number;
  readonly childrenSec: number;
}

// /proc/self/stat counts in clock ticks; 100 per second on Linux (USER_HZ).
const TICKS_PER_SECOND = 100;

export function cpuSnapshot(): CpuSnapshot {
  const usage = process.cpuUsage();
  // Fields after the command name, which is in parentheses and may contain spaces.
  const stat = readFileSync('/proc/self/stat', 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // cutime and cstime are fields 16 and 17 of stat(5): index 13 and 14 after the name.
  const childTicks = Number(fields[13]) + Number(fields[14]);
  return { selfSec: (usage.user + usage.system) / 1e6, childrenSec: childTicks / TICKS_PER_SECOND };
}

export function cpuSince(start: CpuSnapshot): CpuSnapshot {
  const now = cpuSnapshot();
  const round = (n: number) => Math.round(n * 100) / 100;
  return {
    selfSec: round(now.selfSec - start.selfSec),
    childrenSec: round(now.childrenSec - start.childrenSec),
  };
}
