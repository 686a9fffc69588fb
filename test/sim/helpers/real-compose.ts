import { randomBytes } from 'node:crypto';
import { chmod, copyFile, mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { execa } from 'execa';

/**
 * A real compose project on the real docker daemon, shaped like the simulator's (services api,
 * worker, postgres, redis; `.env` through `env_file:` for api and worker), so one contract test
 * can ask both the same questions.
 */

const SIM_BIN = fileURLToPath(new URL('../../../sim/bin', import.meta.url));

/** PATH without the stand-ins, so `docker` is the real CLI. */
export const REAL_PATH = (process.env.PATH ?? '')
  .split(delimiter)
  .filter((dir) => dir !== SIM_BIN && dir !== '')
  .join(delimiter);

/**
 * No registry is reachable: the image is the host's own dash and coreutils with their
 * libraries, imported from a tar (seconds, and the same on any Debian host).
 */
export const CONTRACT_IMAGE = 'pcv-test/contract-tiny:1';
const PROGRAMS = ['dash', 'cat', 'sleep', 'true', 'printenv', 'env', 'sha256sum', 'wc'];

export interface Ran {
  readonly exitCode: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
}

export async function runReal(file: string, args: readonly string[], cwd?: string, input = ''): Promise<Ran> {
  const res = await execa(file, args, {
    cwd,
    input,
    reject: false,
    timeout: 60_000,
    stripFinalNewline: false,
    env: { PATH: REAL_PATH },
  });
  return { exitCode: res.exitCode, stdout: String(res.stdout), stderr: String(res.stderr) };
}

export type Availability = { ok: true } | { ok: false; reason: string };

/** Whether the daemon answers and this compose (v1 `docker-compose`, v2 `docker compose`) exists. */
export async function realCompose(cli: 'v1' | 'v2'): Promise<Availability> {
  const daemon = await runReal('docker', ['version', '--format', '{{.Server.Version}}']).catch(
    () => undefined,
  );
  if (daemon?.exitCode !== 0) return { ok: false, reason: 'no docker daemon answers on its socket' };
  const version =
    cli === 'v1'
      ? await runReal('docker-compose', ['version', '--short']).catch(() => undefined)
      : await runReal('docker', ['compose', 'version', '--short']).catch(() => undefined);
  if (version?.exitCode !== 0) {
    return {
      ok: false,
      reason: cli === 'v1' ? 'docker-compose (v1) is not installed' : 'no docker compose plugin (v2)',
    };
  }
  return { ok: true };
}

export async function ensureContractImage(): Promise<void> {
  if ((await runReal('docker', ['image', 'inspect', CONTRACT_IMAGE])).exitCode === 0) return;
  const root = await mkdtemp(join(tmpdir(), 'pcv-contract-rootfs-'));
  try {
    await mkdir(join(root, 'usr/bin'), { recursive: true });
    await mkdir(join(root, 'tmp'), { recursive: true });
    const libs = new Set<string>();
    for (const program of PROGRAMS) {
      const path = `/usr/bin/${program}`;
      await copyFile(path, join(root, 'usr/bin', program));
      const ldd = await runReal('ldd', [path]);
      for (const match of ldd.stdout.matchAll(/(\/\S+) \(0x/g)) libs.add(match[1]!);
    }
    for (const lib of libs) {
      await mkdir(join(root, dirname(lib)), { recursive: true });
      await copyFile(lib, join(root, lib));
    }
    await symlink('dash', join(root, 'usr/bin/sh'));
    await symlink('usr/bin', join(root, 'bin'));
    await chmod(join(root, 'tmp'), 0o1777);
    const imported = await execa('tar', ['-C', root, '-c', '.'], { env: { PATH: REAL_PATH } }).pipe(
      'docker',
      ['import', '-', CONTRACT_IMAGE],
      { env: { PATH: REAL_PATH }, reject: false },
    );
    if (imported.exitCode !== 0) throw new Error(`docker import failed: ${String(imported.stderr)}`);
  } finally {
    await rm(root, { recursive: true, force: true });
  }
}

/** A service that logs one line, then waits; TERM ends it at once (dash as PID 1 ignores it otherwise). */
function service(name: string, envFile: boolean): string[] {
  return [
    `  ${name}:`,
    `    image: ${CONTRACT_IMAGE}`,
    '    network_mode: none',
    ...(envFile ? ['    env_file: .env'] : []),
    `    command: ["sh", "-c", "trap 'exit 0' TERM; echo ${name} ready; sleep infinity & wait"]`,
  ];
}

export interface RealProject {
  readonly dir: string;
  readonly project: string;
  close(): Promise<void>;
}

/** Writes the project, `up -d`s it with this compose, and `down`s it on close. */
export async function startRealProject(cli: 'v1' | 'v2', envText: string): Promise<RealProject> {
  await ensureContractImage();
  const dir = await mkdtemp(join(tmpdir(), 'pcv-contract-'));
  const project = `pcvc${cli}${randomBytes(4).toString('hex')}`;
  const compose = [
    'services:',
    ...service('api', true),
    ...service('worker', true),
    ...service('postgres', false),
    ...service('redis', false),
    '',
  ];
  await writeFile(join(dir, 'docker-compose.yml'), compose.join('\n'));
  await writeFile(join(dir, '.env'), envText);
  const base = cli === 'v1' ? ['docker-compose'] : ['docker', 'compose'];
  const run = (...args: string[]) => runReal(base[0]!, [...base.slice(1), '-p', project, ...args], dir);
  const up = await run('up', '-d');
  if (up.exitCode !== 0) throw new Error(`${basename(dir)}: up -d failed: ${up.stderr}`);
  return {
    dir,
    project,
    async close() {
      // v1 cannot even `down` without the env file a failed test may have left removed.
      await writeFile(join(dir, '.env'), envText, { flag: 'wx' }).catch(() => undefined);
      await run('down', '-t', '0');
      await rm(dir, { recursive: true, force: true });
    },
  };
}
