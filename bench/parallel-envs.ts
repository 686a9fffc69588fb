/**
 * Parallel environments: N environments verified at once by one process, wall time against one
 * environment alone. Target ≤ 1.5×. Each environment is its own Hunter simulator and database,
 * all of them in a second process (bench/world-process.ts).
 *
 *   DATABASE_URL=postgres://… npx tsx bench/parallel-envs.ts [--stand-in node|bash] [--envs 20] [--start-delay-ms 3000] [--task-delay-ms 2000]
 */
import { availableParallelism } from 'node:os';
import { rootCertificates } from 'node:tls';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { Agent } from 'undici';
import { parseConfig } from '../src/config/load.ts';
import type { RunId } from '../src/domain/ids.ts';
import { prepareSession } from '../src/engine/prepare-session.ts';
import { runVerification } from '../src/engine/run-phases.ts';
import { type CpuSnapshot, cpuSince, cpuSnapshot } from './cpu.ts';
import { machine } from './stats.ts';
import type { WorldLine } from './world-process.ts';

const { values } = parseArgs({
  options: {
    envs: { type: 'string', default: '20' },
    'start-delay-ms': { type: 'string', default: '3000' },
    'task-delay-ms': { type: 'string', default: '2000' },
    // 'bash': sim/bin/docker-lite, a stand-in that costs no Node start per command.
    'stand-in': { type: 'string', default: 'node' },
  },
});
const envs = Number(values.envs);
const startDelayMs = Number(values['start-delay-ms']);
const taskDelayMs = Number(values['task-delay-ms']);
const standIn = values['stand-in'] === 'bash' ? 'bash' : 'node';

if (!process.env.DATABASE_URL) throw new Error('set DATABASE_URL: each environment gets a scratch database');

interface Measured {
  readonly wallMs: number;
  readonly cpu: CpuSnapshot;
  /** This process's resident memory at the end: what every spawn has to fork. */
  readonly rssMiB: number;
}

const WORLD_PROCESS = fileURLToPath(new URL('./world-process.ts', import.meta.url));

/**
 * The worlds (simulators, databases, fake Azure ADs) live in a process of their own, as the
 * outside world does: this process runs pc-verify only, so its size, CPU and spawn costs are
 * pc-verify's, not inflated by twenty simulators sharing its heap.
 */
async function startWorlds(count: number) {
  const child = execa(
    'node',
    [
      '--import',
      'tsx',
      WORLD_PROCESS,
      '--envs',
      String(count),
      '--start-delay-ms',
      String(startDelayMs),
      '--task-delay-ms',
      String(taskDelayMs),
      '--stand-in',
      standIn,
    ],
    { stdin: 'pipe', stdout: 'pipe', stderr: 'inherit', buffer: false, reject: false },
  );
  const line = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.slice(0, text.indexOf('\n')));
    });
    void child.then(() => reject(new Error('the world process ended before it printed its worlds')));
  });
  const { worlds } = JSON.parse(line) as WorldLine;
  const environments = worlds.map((w, i) => {
    const config = parseConfig(w.configText, `world-${i}`, {});
    const env = [...config.environments.values()][0]!;
    return { env, dispatcher: new Agent({ connect: { ca: [...rootCertificates, w.aadCa] } }) };
  });
  return {
    environments,
    stop: async () => {
      await Promise.all(environments.map((e) => e.dispatcher.close()));
      child.stdin?.end();
      await child;
    },
  };
}

async function verifyMany(count: number): Promise<Measured> {
  const worlds = await startWorlds(count);
  try {
    const sessions = await Promise.all(
      worlds.environments.map((world) =>
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
    return { wallMs, cpu, rssMiB: Math.round(process.memoryUsage.rss() / 2 ** 20) };
  } finally {
    await worlds.stop();
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
      standIn,
      aloneMs: Math.round(alone.wallMs),
      togetherMs: Math.round(together.wallMs),
      ratio: Math.round((together.wallMs / alone.wallMs) * 1000) / 1000,
      // Where the CPU went: this process (engine + in-process simulators) and its children (the
      // stand-in docker processes); busy = CPU seconds per wall second per core.
      cpuAlone: alone.cpu,
      cpuTogether: together.cpu,
      busyTogether: busy(together),
      rssMiB: { alone: alone.rssMiB, together: together.rssMiB },
      target: '≤ 1.5',
      machine: machine(),
    },
    null,
    2,
  ),
);
