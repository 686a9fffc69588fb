/**
 * A `pc-verify serve` process held at the start line (test/helpers/serve-process.ts
 * `startSpare`): it loads what `serve` and a run's first job load, then waits for one line on
 * stdin and runs `pc-verify serve --role <argv[2]>` with the environment it was started with.
 */
import { once } from 'node:events';
import { createInterface } from 'node:readline';

await import('../../src/cli/serve.ts');
await import('../../src/lifecycle/advance-run.ts');
await import('../../src/lifecycle/advance-login.ts');
const { main } = await import('../../src/cli/program.ts');

const lines = createInterface({ input: process.stdin });
await once(lines, 'line');
lines.close();
// Nothing more is read: stdin must not keep the process alive after serve stops.
process.stdin.destroy();
process.exitCode = await main(['serve', '--role', process.argv[2] ?? 'all']);
