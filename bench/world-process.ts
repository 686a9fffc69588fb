/**
 * The simulated outside world of a benchmark in a process of its own: N Hunter simulators (each
 * with its own scratch database) and fake Azure ADs. Prints one JSON line — each environment's
 * config text and the certificate to trust — then runs until its stdin closes.
 *
 *   DATABASE_URL=postgres://… npx tsx bench/world-process.ts --envs 20 [--start-delay-ms 3000] [--task-delay-ms 2000] [--stand-in node|bash]
 */
import { parseArgs } from 'node:util';
import { type DemoDatabase, openDemoDatabase } from '../src/cli/demo-database.ts';
import { type DemoWorld, startDemoWorld } from '../src/cli/demo-world.ts';

export interface WorldLine {
  readonly worlds: readonly { readonly configText: string; readonly aadCa: string }[];
}

const { values } = parseArgs({
  options: {
    envs: { type: 'string', default: '1' },
    'start-delay-ms': { type: 'string', default: '3000' },
    'task-delay-ms': { type: 'string', default: '2000' },
    'stand-in': { type: 'string', default: 'node' },
  },
});
const count = Number(values.envs);
const standIn = values['stand-in'] === 'bash' ? 'bash' : 'node';
const faults = { startDelayMs: Number(values['start-delay-ms']) };
const taskDelayMs = Number(values['task-delay-ms']);

const databases: DemoDatabase[] = await Promise.all(
  Array.from({ length: count }, () => openDemoDatabase(process.env)),
);
const worlds: DemoWorld[] = await Promise.all(
  databases.map((db, i) =>
    startDemoWorld({ databaseUrl: db.url, name: `env-${i}`, faults, taskDelayMs, standIn }),
  ),
);
const line: WorldLine = { worlds: worlds.map((w) => ({ configText: w.configText, aadCa: w.aadCa })) };
process.stdout.write(`${JSON.stringify(line)}\n`);

// The parent closes stdin when it is done (or dies): then everything is taken down.
process.stdin.resume();
process.stdin.on('end', () => {
  void (async () => {
    await Promise.allSettled(worlds.map((w) => w.stop()));
    await Promise.allSettled(databases.map((d) => d.close()));
    process.exit(0);
  })();
});
