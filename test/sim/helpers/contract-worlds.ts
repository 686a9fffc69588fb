/** The two places the contract asks its questions: the simulator and a real compose project. */
import { randomBytes } from 'node:crypto';
import { execa } from 'execa';
import { type HunterSim, startHunterSim } from '../../../sim/hunter/index.ts';
import { DEFAULT_DOCKER_HOST } from '../../../src/hunter/docker/host.ts';
import { createTestDatabase, type TestDatabase } from '../../helpers/services.ts';
import { type Ran, runReal, startRealProject } from './real-compose.ts';

export const FLAG = 'HUNTER_PARTNER_CENTER_ENABLED';

export type Cli = 'v1' | 'v2';

export interface World {
  readonly cli: Cli;
  readonly dir: string;
  readonly project: string;
  /** Where its Engine API answers: the simulator's socket, or the real daemon's. */
  readonly dockerHost: string;
  /** `docker compose -p P …` (v2) or `docker-compose -p P …` (v1), run in the project directory. */
  compose(args: readonly string[], input?: string): Promise<Ran>;
  /** The service's container stops (and starts again with `resume`). */
  stop(service: 'worker'): Promise<void>;
  resume(service: 'worker'): Promise<void>;
  close(): Promise<void>;
}

function composeArgv(cli: Cli, project: string, args: readonly string[]): [string, string[]] {
  return cli === 'v1'
    ? ['docker-compose', ['-p', project, ...args]]
    : ['docker', ['compose', '-p', project, ...args]];
}

let db: TestDatabase | undefined;

export async function simWorld(cli: Cli): Promise<World> {
  db ??= await createTestDatabase('pcv_ctr');
  const project = `pcvc${cli}${randomBytes(4).toString('hex')}`;
  const sim: HunterSim = await startHunterSim({
    databaseUrl: db.url,
    envMode: 'env-file',
    compose: cli,
    projectName: project,
    taskDelayMs: 10,
  });
  return {
    cli,
    dir: sim.projectDir,
    project,
    dockerHost: sim.dockerHost,
    async compose(args, input = '') {
      const [file, argv] = composeArgv(cli, project, args);
      const res = await execa(file, argv, {
        cwd: sim.projectDir,
        input,
        reject: false,
        timeout: 30_000,
        stripFinalNewline: false,
      });
      return { exitCode: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
    },
    // The simulator stops api and worker together (its `down` fault); the facts are about worker.
    stop: async () => sim.setFaults({ down: true }),
    resume: async () => sim.setFaults({ down: false }),
    close: () => sim.stop(),
  };
}

export async function realWorld(cli: Cli): Promise<World> {
  const real = await startRealProject(cli, `${FLAG}=false\n`);
  const name = (service: string) =>
    cli === 'v1' ? `${real.project}_${service}_1` : `${real.project}-${service}-1`;
  return {
    cli,
    dir: real.dir,
    project: real.project,
    // The daemon the real CLI talks to.
    dockerHost: process.env.DOCKER_HOST || DEFAULT_DOCKER_HOST,
    compose: (args, input = '') => {
      const [file, argv] = composeArgv(cli, real.project, args);
      return runReal(file, argv, real.dir, input);
    },
    stop: async (service) => {
      await runReal('docker', ['stop', '-t', '0', name(service)]);
    },
    resume: async (service) => {
      await runReal('docker', ['start', name(service)]);
    },
    close: () => real.close(),
  };
}

/** The database the simulator worlds share, dropped by the test file's afterAll. */
export async function dropSimDatabase(): Promise<void> {
  await db?.drop();
}
