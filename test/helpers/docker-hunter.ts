import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';
import pg from 'pg';
import { request } from 'undici';
import { pollUntil } from './poll.ts';

/**
 * The test Hunter (test/docker/hunter/app) deployed with a real docker daemon: postgres, redis,
 * api and worker, every one on the host's network with ports of its own, so deployments run side
 * by side. The image comes from scripts/docker.sh.
 */

export const RUNTIME_IMAGE = 'pcv/hunter-runtime';
const APP_DIR = fileURLToPath(new URL('../docker/hunter/app', import.meta.url));

/** Which compose CLI runs the deployment: v1 `docker-compose` 1.29, v2 the `docker compose` plugin. */
export type ComposeVersion = 'v1' | 'v2';
/** How `.env` reaches api and worker: the app reads the bind-mounted file, or compose's `env_file:`. */
export type EnvDelivery = 'bind' | 'env_file';

export const COMPOSE_COMMANDS: Record<ComposeVersion, readonly string[]> = {
  v1: ['docker-compose'],
  v2: ['docker', 'compose'],
};

export interface DeploymentOptions {
  readonly compose: ComposeVersion;
  readonly env: EnvDelivery;
  /** The `.env` lines (the flag and the Partner Center block); the harness adds database and broker. */
  readonly envLines: readonly string[];
  /** PEM the containers trust for https (the fake Azure AD's certificate). */
  readonly caPem?: string;
}

export interface Ran {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export interface Deployment {
  readonly projectDir: string;
  readonly command: readonly string[];
  readonly ports: Ports;
  readonly apiUrl: string;
  /** Hunter's database, as pc-verify's `database.url` names it. */
  readonly databaseUrl: string;
  /** `<compose> --project-directory DIR …` in the project dir, as a person types it. */
  compose(args: readonly string[], options?: { input?: string; timeoutMs?: number }): Promise<Ran>;
  /** `/healthz`'s flag, or undefined while the api does not answer. */
  healthFlag(): Promise<boolean | undefined>;
  /** `compose down -v` and the project dir removed. */
  stop(): Promise<void>;
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface Ports {
  readonly api: number;
  readonly postgres: number;
  readonly redis: number;
}

/** docker-compose.yml; compose v1 1.29 and v2 both read this form (no `version:` key). */
export function composeFile(ports: Ports, env: EnvDelivery): string {
  const app = (command: readonly string[]) => [
    `    image: ${RUNTIME_IMAGE}`,
    '    network_mode: host',
    '    working_dir: /app',
    '    volumes: ["./:/app"]',
    ...(env === 'env_file' ? ['    env_file: [.env]'] : []),
    '    environment:',
    '      REQUESTS_CA_BUNDLE: /app/trust.pem',
    '      SSL_CERT_FILE: /app/trust.pem',
    `    command: ${JSON.stringify(command)}`,
    '    depends_on: [postgres, redis]',
  ];
  const initdb =
    'initdb -D /tmp/pgdata -A trust -U postgres >/dev/null && exec postgres -D /tmp/pgdata ' +
    `-p ${ports.postgres} -k /tmp -c listen_addresses=127.0.0.1 -c fsync=off`;
  return [
    'services:',
    '  postgres:',
    `    image: ${RUNTIME_IMAGE}`,
    '    network_mode: host',
    '    user: postgres',
    `    command: ${JSON.stringify(['sh', '-c', initdb])}`,
    '  redis:',
    `    image: ${RUNTIME_IMAGE}`,
    '    network_mode: host',
    `    command: ${JSON.stringify(['redis-server', '--port', String(ports.redis), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'])}`,
    '  api:',
    ...app(['python3', '-m', 'uvicorn', 'app.main:app', '--host', '127.0.0.1', '--port', String(ports.api)]),
    '  worker:',
    ...app(['celery', '-A', 'app.core.celery_app', 'worker', '--loglevel=INFO', '--concurrency=1']),
    '',
  ].join('\n');
}

/** Starts a deployment and waits until the api answers, the database takes connections and the worker is ready. */
export async function startDeployment(options: DeploymentOptions): Promise<Deployment> {
  const projectDir = await mkdtemp(join(tmpdir(), 'pcv-hunter-'));
  const ports: Ports = { api: await freePort(), postgres: await freePort(), redis: await freePort() };
  const databaseUrl = `postgresql://postgres@127.0.0.1:${ports.postgres}/postgres`;
  await cp(APP_DIR, projectDir, { recursive: true, filter: (path) => !path.includes('__pycache__') });
  await writeFile(join(projectDir, 'docker-compose.yml'), composeFile(ports, options.env));
  await writeFile(join(projectDir, 'trust.pem'), options.caPem ?? '');
  const envLines = [
    ...options.envLines,
    `HUNTER_DATABASE_URL=${databaseUrl}`,
    `HUNTER_REDIS_URL=redis://127.0.0.1:${ports.redis}/0`,
  ];
  await writeFile(join(projectDir, '.env'), `${envLines.join('\n')}\n`);
  const command = COMPOSE_COMMANDS[options.compose];
  const deployment = makeDeployment(projectDir, command, ports, databaseUrl);
  const up = await deployment.compose(['up', '-d'], { timeoutMs: 120_000 });
  if (up.exitCode !== 0) {
    await deployment.stop();
    throw new Error(`compose up failed (exit ${up.exitCode}):\n${up.stdout}${up.stderr}`);
  }
  try {
    await waitUntilReady(deployment);
  } catch (error) {
    const logs = await deployment.compose(['logs', '--no-color', '--tail', '40']);
    await deployment.stop();
    throw new Error(`${(error as Error).message}\n${logs.stdout}${logs.stderr}`);
  }
  return deployment;
}

function makeDeployment(
  projectDir: string,
  command: readonly string[],
  ports: Ports,
  databaseUrl: string,
): Deployment {
  const apiUrl = `http://127.0.0.1:${ports.api}`;
  const compose: Deployment['compose'] = async (args, options = {}) => {
    const [file = 'docker', ...rest] = command;
    const res = await execa(file, [...rest, '--project-directory', projectDir, ...args], {
      cwd: projectDir,
      input: options.input ?? '',
      reject: false,
      timeout: options.timeoutMs ?? 60_000,
    });
    return { exitCode: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
  };
  return {
    projectDir,
    command,
    ports,
    apiUrl,
    databaseUrl,
    compose,
    healthFlag: async () => {
      try {
        const res = await request(`${apiUrl}/healthz`, { signal: AbortSignal.timeout(2_000) });
        if (res.statusCode !== 200) return void (await res.body.dump());
        return ((await res.body.json()) as { partner_center_enabled: boolean }).partner_center_enabled;
      } catch {
        return undefined;
      }
    },
    stop: async () => {
      await compose(['down', '-v', '-t', '1'], { timeoutMs: 60_000 });
      await rm(projectDir, { recursive: true, force: true });
    },
  };
}

async function waitUntilReady(deployment: Deployment): Promise<void> {
  const ready = { timeoutMs: 60_000, intervalMs: 200 };
  await pollUntil(async () => ((await deployment.healthFlag()) === undefined ? undefined : true), {
    ...ready,
    what: `the api at ${deployment.apiUrl}/healthz`,
  });
  await pollUntil(() => databaseAnswers(deployment.databaseUrl), { ...ready, what: 'PostgreSQL' });
  await pollUntil(
    async () => {
      const logs = await deployment.compose(['logs', '--no-color', 'worker']);
      return / ready\.\s*$/m.test(logs.stdout) ? true : undefined;
    },
    { ...ready, what: 'the Celery worker to be ready' },
  );
}

async function databaseAnswers(url: string): Promise<true | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 2_000 });
  try {
    await client.connect();
    await client.query('select 1');
    return true;
  } catch {
    return undefined;
  } finally {
    await client.end().catch(() => undefined);
  }
}
