// `npm run build`: a clean dist/ from tsc (src/ and sim/, the demo needs the simulators), plus
// the simulator's stand-in executables, which are not TypeScript.
import { execFileSync } from 'node:child_process';
import { cpSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
rmSync(`${root}dist`, { recursive: true, force: true });
execFileSync(process.execPath, [tsc, '-p', `${root}tsconfig.build.json`], {
  stdio: 'inherit',
  timeout: 300_000,
});
cpSync(`${root}sim/bin`, `${root}dist/sim/bin`, { recursive: true });
// The chat console's page (script and styles) is served from files next to its server.
cpSync(`${root}sim/console/assets`, `${root}dist/sim/console/assets`, { recursive: true });
