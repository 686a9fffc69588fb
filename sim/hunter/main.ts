/**
 * Manual trials: `npx tsx sim/hunter/main.ts --database-url postgres://… [--project-dir DIR]
 * [--env-mode bind-mount|env-file] [--compose v1|v2] [--flag] [--fault name=value]…`. Prints apiUrl,
 * projectDir and dockerHost as JSON, then runs until SIGINT/SIGTERM. With sim/bin first on PATH,
 * `docker compose --project-directory DIR …` reaches it (with `--compose v1`: `docker-compose …`);
 * `DOCKER_HOST=<dockerHost>` reaches its Engine API.
 */
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { type HunterFaults, startHunterSim } from './index.ts';

const FaultValues = z
  .strictObject({
    offReturns200: z.stringbool(),
    offWrongMessage: z.stringbool(),
    taskRunsWhileOff: z.stringbool(),
    enabledInOffLogs: z.stringbool(),
    migrationFails: z.stringbool(),
    tableMissing: z.stringbool(),
    wrongColumnType: z.stringbool(),
    emptyEnvVar: z.enum([
      'HUNTER_PARTNER_CENTER_CLIENT_ID',
      'HUNTER_PARTNER_CENTER_TENANT_ID',
      'HUNTER_PARTNER_CENTER_API_URL',
    ]),
    tokenCache: z.enum(['ok', 'missing', 'corrupt']),
    workerExceptionWhenOn: z.stringbool(),
    workerExceptionMessage: z.string(),
    partnerCenterUnreachable: z.stringbool(),
    restartIgnoresEnv: z.stringbool(),
    startDelayMs: z.coerce.number().int().nonnegative(),
    down: z.stringbool(),
    commandDelayMs: z.coerce.number().int().nonnegative(),
    apiDelayMs: z.coerce.number().int().nonnegative(),
  })
  .partial();

const { values } = parseArgs({
  options: {
    'database-url': { type: 'string' },
    'project-dir': { type: 'string' },
    'env-mode': { type: 'string', default: 'bind-mount' },
    compose: { type: 'string', default: 'v2' },
    flag: { type: 'boolean', default: false },
    fault: { type: 'string', multiple: true, default: [] },
  },
});

const databaseUrl = values['database-url'];
if (!databaseUrl) {
  process.stderr.write(
    'usage: main.ts --database-url postgres://… [--project-dir DIR] [--env-mode bind-mount|env-file] [--compose v1|v2] [--flag] [--fault name=value]…\n',
  );
  process.exit(2);
}
const envMode = z.enum(['bind-mount', 'env-file']).parse(values['env-mode']);
const compose = z.enum(['v1', 'v2']).parse(values.compose);
const faultPairs = Object.fromEntries(values.fault.map((pair) => pair.split(/=(.*)/s, 2)));
const parsedFaults = FaultValues.safeParse(faultPairs);
if (!parsedFaults.success) {
  process.stderr.write(`bad --fault: ${z.prettifyError(parsedFaults.error)}\n`);
  process.exit(2);
}
const faults: Partial<HunterFaults> = parsedFaults.data;

const sim = await startHunterSim({
  databaseUrl,
  envMode,
  compose,
  flag: values.flag,
  faults,
  ...(values['project-dir'] ? { projectDir: values['project-dir'] } : {}),
});
process.stdout.write(
  `${JSON.stringify({ apiUrl: sim.apiUrl, projectDir: sim.projectDir, envFile: sim.envFile, dockerHost: sim.dockerHost })}\n`,
);

const shutdown = () => {
  void sim.stop().then(() => process.exit(0));
};
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
