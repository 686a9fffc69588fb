import { createHash } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type HunterSim, type HunterSimOptions, startHunterSim } from '../../sim/hunter/index.ts';
import { stdinToFileArgv } from '../../src/hunter/stdin-to-file.ts';
import { createTestDatabase, type TestDatabase } from '../helpers/services.ts';
import { compose, healthFlag, installTokenCache, run } from './helpers/hunter.ts';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase('pcv_hcmp');
});
afterAll(async () => {
  await db.drop();
});

async function withSim(
  options: Partial<HunterSimOptions>,
  body: (sim: HunterSim) => Promise<void>,
): Promise<void> {
  const sim = await startHunterSim({ databaseUrl: db.url, taskDelayMs: 10, ...options });
  try {
    await body(sim);
  } finally {
    await sim.stop();
  }
}

async function setFlagInEnvFile(sim: HunterSim, value: string): Promise<void> {
  const text = await readFile(sim.envFile, 'utf8');
  await writeFile(
    sim.envFile,
    text.replace(/^HUNTER_PARTNER_CENTER_ENABLED=.*$/m, `HUNTER_PARTNER_CENTER_ENABLED=${value}`),
  );
}

const RESTART = ['restart', 'api', 'worker'];
const RECREATE = ['up', '-d', '--no-deps', '--force-recreate', 'api', 'worker'];

describe('Hunter simulator: compose lifecycle', () => {
  it('bind-mount: restart re-reads .env (any pydantic boolean spelling)', () =>
    withSim({ envMode: 'bind-mount' }, async (sim) => {
      await setFlagInEnvFile(sim, 'Yes');
      const res = await compose(sim, RESTART);
      expect(res.exitCode).toBe(0);
      expect(res.stderr).toMatch(/^ Container \S+-api-1 {2}Restarting\n/);
      expect(res.stderr).toContain('-worker-1  Started\n');
      expect(await healthFlag(sim)).toBe(true);
      expect(sim.serviceEnv('worker').HUNTER_PARTNER_CENTER_ENABLED).toBe('Yes');
    }));

  it('env-file: restart keeps the old value, recreate applies the file', () =>
    withSim({ envMode: 'env-file' }, async (sim) => {
      await setFlagInEnvFile(sim, 'true');
      expect((await compose(sim, RESTART)).exitCode).toBe(0);
      expect(await healthFlag(sim)).toBe(false);
      const recreated = await compose(sim, RECREATE);
      expect(recreated.exitCode).toBe(0);
      expect(recreated.stderr).toContain('-api-1  Recreated\n');
      expect(await healthFlag(sim)).toBe(true);
      expect(sim.serviceEnv('api').HUNTER_PARTNER_CENTER_ENABLED).toBe('true');
    }));

  it('restartIgnoresEnv: a bind-mount restart keeps the old flag, recreate still applies it', () =>
    withSim({ envMode: 'bind-mount', faults: { restartIgnoresEnv: true } }, async (sim) => {
      await setFlagInEnvFile(sim, 'true');
      await compose(sim, RESTART);
      expect(await healthFlag(sim)).toBe(false);
      await compose(sim, RECREATE);
      expect(await healthFlag(sim)).toBe(true);
    }));

  it('a flag that is not a boolean crashes api and worker at start', () =>
    withSim({}, async (sim) => {
      await setFlagInEnvFile(sim, 'maybe');
      await compose(sim, RESTART);
      expect(await healthFlag(sim)).toBeUndefined();
      const exec = await compose(sim, ['exec', '-T', 'worker', 'printenv']);
      expect(exec.stderr).toBe('service "worker" is not running\n');
      const logs = await compose(sim, ['logs', '--no-log-prefix', 'api']);
      expect(logs.stdout).toContain('Input should be a valid boolean');
    }));

  it('ps --format json prints one compose v2 object per running container', () =>
    withSim({}, async (sim) => {
      const res = await compose(sim, ['ps', '--format', 'json']);
      const rows = res.stdout
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(rows.map((r) => r.Service)).toEqual(['api', 'worker', 'postgres', 'redis']);
      expect(rows[0]).toMatchObject({ State: 'running', Name: expect.stringMatching(/-api-1$/) });
    }));
});

describe('Hunter simulator: exec', () => {
  it('printenv shows what the api process started with, not the file as it is now', () =>
    withSim({}, async (sim) => {
      await setFlagInEnvFile(sim, 'true');
      const res = await compose(sim, ['exec', '-T', 'api', 'printenv']);
      expect(res.exitCode).toBe(0);
      const env = new Map(
        res.stdout
          .trim()
          .split('\n')
          .map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]),
      );
      expect(env.get('HUNTER_PARTNER_CENTER_ENABLED')).toBe('false');
      expect(env.get('HUNTER_PARTNER_CENTER_CLIENT_ID')).toBe(
        sim.serviceEnv('api').HUNTER_PARTNER_CENTER_CLIENT_ID,
      );
      expect(env.has('PATH') && env.has('HOSTNAME')).toBe(true);
    }));

  it('install -m 600 stores stdin as .token_cache; sha256sum reads it back', () =>
    withSim({}, async (sim) => {
      const missing = await compose(sim, ['exec', '-T', 'api', 'sha256sum', '.token_cache']);
      expect(missing).toMatchObject({
        exitCode: 1,
        stderr: 'sha256sum: .token_cache: No such file or directory\n',
      });
      const content = '{"Account":{}}';
      expect(await installTokenCache(sim, content)).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
      expect(sim.tokenCacheFile()).toEqual({ content, mode: 0o600 });
      const digest = createHash('sha256').update(content).digest('hex');
      const sum = await compose(sim, ['exec', '-T', 'worker', 'sha256sum', '/app/.token_cache']);
      expect(sum.stdout).toBe(`${digest}  /app/.token_cache\n`);
    }));

  it("tokenCache 'missing' drops installs silently; 'corrupt' garbles them", () =>
    withSim({ faults: { tokenCache: 'missing' } }, async (sim) => {
      expect((await installTokenCache(sim, '{"a":1}')).exitCode).toBe(0);
      expect(sim.tokenCacheFile()).toBeUndefined();
      sim.setFaults({ tokenCache: 'corrupt' });
      expect((await installTokenCache(sim, '{"a":1}')).exitCode).toBe(0);
      expect(sim.tokenCacheFile()?.content).not.toBe('{"a":1}');
      expect(sim.tokenCacheFile()?.mode).toBe(0o600);
    }));

  it('answers like compose and runc for unknown services, commands and programs', () =>
    withSim({}, async (sim) => {
      // compose v2 does not tell an unknown service from a stopped one for `exec`.
      expect(await compose(sim, ['exec', '-T', 'nope', 'ls'])).toMatchObject({
        exitCode: 1,
        stderr: 'service "nope" is not running\n',
      });
      expect(await compose(sim, ['restart', 'nope'])).toMatchObject({
        exitCode: 1,
        stderr: 'no such service: nope\n',
      });
      expect(await compose(sim, ['frobnicate'])).toMatchObject({
        exitCode: 1,
        stderr: 'unknown docker command: "compose frobnicate"\n',
      });
      const foo = await compose(sim, ['exec', '-T', 'api', 'foo']);
      expect(foo.exitCode).toBe(126);
      expect(foo.stdout).toContain('exec: "foo": executable file not found in $PATH');
      expect((await compose(sim, ['logs', '--bogus'])).stderr).toContain('unknown flag: --bogus');
      expect((await compose(sim, ['-p', 'other', 'exec', '-T', 'api', 'printenv'])).stderr).toBe(
        'service "api" is not running\n',
      );
      expect((await compose(sim, ['-f', 'missing.yml', 'ps'])).stderr).toMatch(
        /^open .*missing\.yml: no such file or directory/,
      );
    }));

  it('docker-compose (v1 name) and a cwd without --project-directory reach the same project; every argv is recorded', () =>
    withSim({}, async (sim) => {
      const v1 = await run(
        'docker-compose',
        ['exec', '-T', 'api', 'printenv', 'HUNTER_PARTNER_CENTER_ENABLED'],
        sim.projectDir,
      );
      expect(v1).toMatchObject({ exitCode: 0, stdout: 'false\n' });
      const viaCwd = await run('docker', ['compose', 'ps', '--services'], sim.projectDir);
      expect(viaCwd.stdout).toBe('api\nworker\npostgres\nredis\n');
      expect(sim.composeCalls()).toEqual([
        ['exec', '-T', 'api', 'printenv', 'HUNTER_PARTNER_CENTER_ENABLED'],
        ['compose', 'ps', '--services'],
      ]);
    }));
});

describe('the stand-in without a simulator', () => {
  it('fails like docker without a daemon', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pcv-nosim-'));
    try {
      const res = await run('docker', ['compose', '--project-directory', dir, 'ps'], dir);
      expect(res).toMatchObject({
        exitCode: 1,
        stderr:
          'Cannot connect to the Docker daemon at unix:///var/run/docker.sock. Is the docker daemon running?\n',
      });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('fails the same way once the simulator has stopped', async () => {
    const sim = await startHunterSim({
      databaseUrl: db.url,
      projectDir: await mkdtemp(join(tmpdir(), 'pcv-stopped-')),
    });
    await sim.stop();
    try {
      const res = await run('docker', ['compose', 'ps'], sim.projectDir);
      expect(res.exitCode).toBe(1);
      expect(res.stderr).toContain('Cannot connect to the Docker daemon');
    } finally {
      await rm(sim.projectDir, { recursive: true, force: true });
    }
  });
});

describe('the light stand-in (sim/bin/docker-lite, for benchmarks)', () => {
  const LITE = fileURLToPath(new URL('../../sim/bin/docker-lite', import.meta.url));
  const both = (sim: HunterSim, args: readonly string[], input?: string) =>
    Promise.all(
      ['docker', LITE].map((file) =>
        run(file, ['compose', '--project-directory', sim.projectDir, ...args], sim.projectDir, {
          ...(input === undefined ? {} : { input }),
        }),
      ),
    );

  it('answers every command exactly as the Node stand-in does: stdout, stderr, exit code, stdin', () =>
    withSim({}, async (sim) => {
      for (const args of [
        ['exec', '-T', 'api', 'printenv'],
        ['exec', '-T', 'api', 'no-such-command'],
        ['logs', '--no-color', 'worker'],
        ['exec', '-T', 'api', 'sha256sum', '/app/.token_cache'],
      ]) {
        const [node, lite] = await both(sim, args);
        expect(lite, args.join(' ')).toEqual(node);
      }
      // Quotes, backslashes and newlines survive the trip in both directions.
      const cache = '{"a": "quote \\" and backslash \\\\"}\nsecond line\n';
      const installed = await run(
        LITE,
        [
          'compose',
          '--project-directory',
          sim.projectDir,
          'exec',
          '-T',
          'api',
          'install',
          '-m',
          '600',
          '/dev/stdin',
          '/app/.token_cache',
        ],
        sim.projectDir,
        { input: cache },
      );
      expect(installed.exitCode).toBe(0);
      expect(sim.tokenCacheFile()?.content).toBe(cache);
    }));

  it("takes the compose driver's token-cache handoff (`sh -c` script) through either stand-in, and no other script", () =>
    withSim({}, async (sim) => {
      const handoff = ['exec', '-T', 'api', ...stdinToFileArgv('.token_cache')];
      for (const [file, cache] of [
        ['docker', '{"node": "$1 \\" {}"}\n'],
        [LITE, '{"lite": "$1 \\" {}"}\n'],
      ] as const) {
        const args = ['compose', '--project-directory', sim.projectDir, ...handoff];
        const res = await run(file, args, sim.projectDir, { input: cache });
        expect(res).toMatchObject({ exitCode: 0, stdout: '', stderr: '' });
        expect(sim.tokenCacheFile()).toEqual({ content: cache, mode: 0o600 });
      }
      const other = await compose(sim, ['exec', '-T', 'api', 'sh', '-c', 'cat > .token_cache', 'sh']);
      expect(other.exitCode).toBe(2);
      expect(other.stderr).toContain('not simulated');
    }));
});
