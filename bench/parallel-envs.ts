/**
 * Parallel environments: N environments verified at once by one process, wall time against one
 * environment alone. Target ≤ 1.5×. Each environment is its own Hunter simulator and database.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/parallel-envs.ts [--envs 20] [--start-delay-ms 3000] [--task-delay-ms 2000]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { openDemoDatabase } from '../src/cli/demo-database.ts';
import { startDemoWorld } from '../src/cli/demo-world.ts';
import type { RunId } from '../src/domain/ids.ts';
import { runVerification } from '../src/runs/engine.ts';
import { prepareSession } from '../src/runs/session.ts';
import { type CpuSnapshot, cpuSince, cpuSnapshot } from './cpu.ts';
import { machine } from './stats.ts';

const { values } = parseArgs({
  options: {
    envs: { type: 'string', default: '20' },
    'start-delay-ms': { type: 'string', default: '3000' },
    'task-delay-ms': { type: 'string', default: '2000' },
  },
});
const envs = Number(values.envs);
const startDelayMs = Number(values['start-delay-ms']);
const taskDelayMs = Number(values['task-delay-ms']);

if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: each environment gets a scratch database');

interface Measured {
  readonly wallMs: number;
  readonly cpu: CpuSnapshot;
}

async function verifyMany(count: number): Promise<Measured> {
  const databases = await Promise.all(Array.from({ length: count }, () => openDemoDatabase(process.env)));
  const worlds = await Promise.all(
    databases.map((db, i) =>
      startDemoWorld({ databaseUrl: db.url, name: `env-${i}`, faults: { startDelayMs }, taskDelayMs }),
    ),
  );
  try {
    const sessions = await Promise.all(
      worlds.map((world) =>
        prepareSession({
          env: world.env,
          observer: () => undefined,
          signal: new AbortController().signal,
          dispatcher: world.dispatcher,
          handoff: () => undefined,
        }),
      ),
    );
    const started = performance.now();
    const cpuAtStart = cpuSnapshot();
    const reports = await Promise.all(
      sessions.map((s, i) => runVerification({ ctx: s.ctx, runId: `par-${i}` as RunId, phase2: s.phase2 })),
    );
    const wallMs = performance.now() - started;
    const cpu = cpuSince(cpuAtStart);
    const failed = reports.filter((r) => r.verdict !== 'PASS');
    if (failed.length > 0) throw new Error(`${failed.length} runs failed: ${failed[0]?.reason}`);
    return { wallMs, cpu };
  } finally {
    await Promise.all(worlds.map((w) => w.stop()));
    await Promise.all(databases.map((d) => d.close()));
  }
}

function busy(m: Measured): number {
  const cpuSec = m.cpu.selfSec + m.cpu.childrenSec;
  return Math.round((cpuSec / (m.wallMs / 1000) / availableParallelism()) * 100) / 100;
}

const alone = await verifyMany(1);
const together = await verifyMany(envs);
console.log(
  JSON.stringify(
    {
      benchmark: 'parallel-envs',
      envs,
      startDelayMs,
      taskDelayMs,
      aloneMs: Math.round(alone.wallMs),
      togetherMs: Math.round(together.wallMs),
      ratio: Math.round((together.wallMs / alone.wallMs) * 1000) / 1000,
      // Where the CPU went: this process (engine + in-process simulators) and its children (the
      // stand-in docker processes); busy = CPU seconds per wall second per core.
      cpuAlone: alone.cpu,
      cpuTogether: together.cpu,
      busyTogether: busy(together),
      target: '≤ 1.5',
      machine: machine(),
    },
    null,
    2,
  ),
);
