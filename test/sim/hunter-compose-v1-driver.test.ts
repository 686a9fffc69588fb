import { readFile } from 'node:fs/promises';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import type { EnvironmentConfig } from '../../src/config/config.ts';
import { runPhases } from '../../src/engine/run-phases.ts';
import { createComposeDriver } from '../../src/hunter/compose/driver.ts';
import { parseDockerHost } from '../../src/hunter/docker/host.ts';
import { runArgv } from '../../src/hunter/exec.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { phase2NotCalled, simContext, simEnvironment } from '../helpers/sim-env.ts';

// A host with only compose v1 (`docker-compose` 1.29) and no `driver.command`: the driver has
// to find the CLI itself, and on a host the Engine API cannot reach, read logs v1's way.

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  vi.unstubAllEnvs();
  await sim?.stop();
  sim = undefined;
});

const signal = () => AbortSignal.timeout(10_000);

/** A new driver is what a new run gets (createTarget at the start of each). */
function driverFor(s: HunterSim, env: EnvironmentConfig) {
  if (env.driver.kind !== 'compose') throw new Error('compose expected');
  const config = env.driver;
  return createComposeDriver(config, {
    host: parseDockerHost(config.host),
    readEnvFile: () => readFile(s.envFile, 'utf8'),
    runArgv: (argv, options) =>
      runArgv(argv, {
        cwd: config.projectDir,
        timeoutMs: options.timeoutMs,
        signal: options.signal,
        redact: (t) => t,
        ...(options.stdin === undefined ? {} : { stdin: options.stdin }),
      }),
  });
}

/** The config a person writes who relies on DOCKER_HOST: no `driver.host`. */
function withoutHost(env: EnvironmentConfig): EnvironmentConfig {
  if (env.driver.kind !== 'compose') throw new Error('compose expected');
  const { host: _host, ...driver } = env.driver;
  return { ...env, driver };
}

const versionCalls = (s: HunterSim) => s.composeCalls().filter((argv) => argv.at(-1) === 'version');

describe('the compose driver on a compose v1 host, no driver.command', () => {
  it('asks `version` once per run: docker compose fails, docker-compose answers, every recreate reuses it', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, compose: 'v1' });
    const env = simEnvironment(sim, db.url, { apply: 'recreate' });
    const { commands } = driverFor(sim, env);
    for (let i = 0; i < 3; i++) {
      expect(await commands.run({ kind: 'apply' }, { signal: signal() })).toMatchObject({ ok: true });
    }
    // `docker compose version` is recorded as ["compose", "version"], docker-compose's as ["version"].
    expect(versionCalls(sim)).toEqual([['compose', 'version'], ['version']]);
    const recreates = sim.composeCalls().filter((argv) => argv.includes('--force-recreate'));
    expect(recreates).toHaveLength(3);
    for (const argv of recreates) expect(argv[0]).toBe('--project-directory');

    // The next run asks again: a compose upgraded between runs is seen without restarting pc-verify.
    const next = driverFor(sim, env);
    expect(await next.commands.run({ kind: 'apply' }, { signal: signal() })).toMatchObject({ ok: true });
    expect(versionCalls(sim)).toHaveLength(4);
  });

  it('on DOCKER_HOST=ssh:// reads logs with -t --no-color and no --since, cut at `since` by the stamps', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, compose: 'v1', taskDelayMs: 10 });
    vi.stubEnv('DOCKER_HOST', 'ssh://ops@hunter.example');
    const { ctx } = simContext(withoutHost(simEnvironment(sim, db.url)));
    expect(ctx.target.containers).toBeUndefined();

    const all = await ctx.target.commands.run({ kind: 'logs', since: new Date(0) }, { signal: signal() });
    expect(all).toMatchObject({ ok: true, stdout: expect.stringContaining('SecurityWarning') });
    const since = new Date();
    const sent = await ctx.target.commands.run({ kind: 'celeryCall' }, { signal: signal() });
    expect(sent).toMatchObject({ ok: true });
    const cut = await ctx.target.commands.run({ kind: 'logs', since }, { signal: signal() });
    expect(cut).toMatchObject({ ok: true });
    if (!cut.ok) return;
    // The worker's start-up banner came before `since`: v1 printed it, the stamps cut it off.
    expect(cut.stdout).not.toContain('SecurityWarning');
    expect(cut.stdout).not.toContain('Attaching to');
    expect(cut.stdout).not.toMatch(/^\d{4}-\d\d-\d\dT/m);

    const logArgvs = sim.composeCalls().filter((argv) => argv.includes('logs'));
    expect(logArgvs).toHaveLength(2);
    for (const argv of logArgvs) {
      expect(argv).toEqual(expect.arrayContaining(['logs', '-t', '--no-color']));
      expect(argv).not.toContain('--since');
      expect(argv[0]).toBe('--project-directory');
    }
    expect(sim.engineCalls()).toEqual([]);
  });

  it('passes Phase 1, logs.off included, through docker-compose on DOCKER_HOST=ssh://', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, compose: 'v1', taskDelayMs: 10 });
    vi.stubEnv('DOCKER_HOST', 'ssh://ops@hunter.example');
    const { ctx } = simContext(withoutHost(simEnvironment(sim, db.url)));
    const [phase1] = await runPhases(ctx, [1], phase2NotCalled);
    expect(phase1?.checks.map((c) => [c.id, c.status])).toEqual([
      ['flag.off', 'pass'],
      ['health.off', 'pass'],
      ['api.off', 'pass'],
      ['task.off', 'pass'],
      ['logs.off', 'pass'],
    ]);
    const logs = phase1?.checks.find((c) => c.id === 'logs.off');
    expect(logs?.observed).toContain('partner_center_sync_skipped');
    const logArgvs = sim.composeCalls().filter((argv) => argv.includes('logs'));
    expect(logArgvs.length).toBeGreaterThan(0);
    for (const argv of logArgvs) expect(argv).not.toContain('--since');
    expect(sim.engineCalls()).toEqual([]);
  });
});
