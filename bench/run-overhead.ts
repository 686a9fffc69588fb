/**
 * Run overhead: wall time of a full passing run (Phases 0–3) against the simulator, divided
 * by the time the simulator itself cannot avoid (its configured start-up delay per restart and
 * its task delay; the login is approved at once). Target ≤ 1.15.
 *
 * Also reported: the same with the simulator's cost per command counted as unavoidable too —
 * each `docker compose …` the runbook needs starts a stand-in process (as a real docker CLI
 * does), timed here on a command that does nothing else.
 *
 *   npx tsx bench/run-overhead.ts [--runs 5] [--start-delay-ms 3000] [--task-delay-ms 2000]
 */
import { parseArgs } from 'node:util';
import { execa } from 'execa';
import { openDemoDatabase } from '../src/cli/demo-database.ts';
import { startDemoWorld } from '../src/cli/demo-world.ts';
import type { RunId } from '../src/domain/ids.ts';
import { prepareSession } from '../src/engine/prepare-session.ts';
import { runVerification } from '../src/engine/run-phases.ts';
import { machine, summary } from './stats.ts';

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '5' },
    'start-delay-ms': { type: 'string', default: '3000' },
    'task-delay-ms': { type: 'string', default: '2000' },
    // 'bash': sim/bin/docker-lite, a stand-in that costs no Node start per command.
    'stand-in': { type: 'string', default: 'node' },
  },
});
const runs = Number(values.runs);
const startDelayMs = Number(values['start-delay-ms']);
const taskDelayMs = Number(values['task-delay-ms']);
const standIn = values['stand-in'] === 'bash' ? 'bash' : 'node';

// Phase 1 and Phase 3 each restart api and worker once; the ON task works taskDelayMs
// (the OFF task is skipped at once).
const unavoidableMs = 2 * startDelayMs + taskDelayMs;

const database = await openDemoDatabase(process.env);
const ratios: number[] = [];
const walls: number[] = [];
const commandCounts: number[] = [];
const commandCosts: number[] = [];
const ratiosWithCommands: number[] = [];

/** Median wall time of one stand-in command that only reads the api's environment. */
async function timeOneCommand(docker: string, projectDir: string): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < 7; i++) {
    const started = performance.now();
    await execa(docker, ['compose', '--project-directory', projectDir, 'exec', '-T', 'api', 'printenv'], {
      input: '',
      timeout: 10_000,
    });
    times.push(performance.now() - started);
  }
  return summary(times).p50;
}
try {
  for (let i = 0; i < runs; i++) {
    const world = await startDemoWorld({
      databaseUrl: database.url,
      faults: { startDelayMs },
      taskDelayMs,
      standIn,
    });
    try {
      const session = await prepareSession({
        env: world.env,
        observer: () => undefined,
        signal: new AbortController().signal,
        dispatcher: world.dispatcher,
        handoff: () => undefined,
      });
      const commandMs = await timeOneCommand(world.dockerCommand, world.projectDir);
      const commandsBefore = world.commandsAnswered();
      const started = performance.now();
      const report = await runVerification({
        ctx: session.ctx,
        runId: `bench-${i}` as RunId,
        phase2: session.phase2,
      });
      const wall = performance.now() - started;
      if (report.verdict !== 'PASS') throw new Error(`run ${i} did not pass: ${report.reason}`);
      walls.push(wall);
      ratios.push(wall / unavoidableMs);
      const commands = world.commandsAnswered() - commandsBefore;
      commandCounts.push(commands);
      commandCosts.push(commandMs);
      ratiosWithCommands.push(wall / (unavoidableMs + commands * commandMs));
    } finally {
      await world.stop();
    }
  }
} finally {
  await database.close();
}

console.log(
  JSON.stringify(
    {
      benchmark: 'run-overhead',
      runs,
      startDelayMs,
      taskDelayMs,
      standIn,
      unavoidableMs,
      wallMs: summary(walls),
      ratio: summary(ratios),
      commandsPerRun: summary(commandCounts),
      commandMs: summary(commandCosts),
      ratioWithCommandCost: summary(ratiosWithCommands),
      target: '≤ 1.15',
      machine: machine(),
    },
    null,
    2,
  ),
);
