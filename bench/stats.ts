import { cpus, loadavg, totalmem } from 'node:os';

/** The value at quantile `q` (0–1) of an ascending sample: nearest rank, as p50/p99 are read. */
export function percentile(sorted: readonly number[], q: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
}

/** p50 / p99 / max / mean of a sample, rounded for reading. */
export function summary(values: readonly number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 1000) / 1000;
  const mean = sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length);
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 0.5)),
    p99: round(percentile(sorted, 0.99)),
    max: round(sorted.at(-1) ?? Number.NaN),
    mean: round(mean),
  };
}

/** The machine a figure was measured on: it goes into BENCHMARKS.md beside the figure. */
export function machine() {
  return {
    node: process.version,
    cpus: cpus().length,
    cpuModel: cpus()[0]?.model ?? 'unknown',
    memGiB: Math.round(totalmem() / 2 ** 30),
  };
}

/**
 * The 1-minute load average: the machine is shared, so a figure taken while others keep both
 * cores busy says so beside it (above ~2 on 2 cores, re-run before publishing).
 */
export function load1(): number {
  return Math.round((loadavg()[0] ?? 0) * 100) / 100;
}
