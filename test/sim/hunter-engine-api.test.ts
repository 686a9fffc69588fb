import { readFile, writeFile } from 'node:fs/promises';
import { afterEach, describe, expect, it } from 'vitest';
import { type HunterSim, startHunterSim } from '../../sim/hunter/index.ts';
import { createComposeDriver } from '../../src/hunter/compose/driver.ts';
import { parseDockerHost } from '../../src/hunter/docker/host.ts';
import { runArgv } from '../../src/hunter/exec.ts';
import { type Translate, translator } from '../../src/i18n/index.ts';
import { useTestDatabase } from '../helpers/services.ts';
import { simEnvironment } from '../helpers/sim-env.ts';

const db = useTestDatabase();
let sim: HunterSim | undefined;
afterEach(async () => {
  await sim?.stop();
  sim = undefined;
});

const signal = () => AbortSignal.timeout(10_000);

function driverFor(
  s: HunterSim,
  extra: Parameters<typeof simEnvironment>[2] = {},
  host = s.dockerHost,
  t?: Translate,
) {
  const env = simEnvironment(s, db.url, extra);
  if (env.driver.kind !== 'compose') throw new Error('compose expected');
  const config = env.driver;
  return createComposeDriver(config, {
    host: parseDockerHost(host),
    ...(t ? { t } : {}),
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

describe('the compose driver through the simulator’s Engine API', () => {
  it('finds the containers by their compose labels and passes stdin through intact', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    const { commands } = driverFor(sim);
    const cache = `{"AccessToken":{},"pad":"${'x'.repeat(2_000_000)}"}`;
    const installed = await commands.run({ kind: 'installTokenCache' }, { signal: signal(), stdin: cache });
    expect(installed).toMatchObject({ ok: true });
    expect(sim.tokenCacheFile()).toEqual({ content: cache, mode: 0o600 });
    expect(sim.composeCalls()).toEqual([]);
  });

  it('deletes a staged sign-in beside the live cache, and succeeds when there is none', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    const { commands } = driverFor(sim);
    await commands.run({ kind: 'installTokenCache' }, { signal: signal(), stdin: '{"live":1}' });
    await commands.run({ kind: 'stageTokenCache' }, { signal: signal(), stdin: '{"staged":1}' });
    expect(sim.stagedTokenCacheFile()?.content).toBe('{"staged":1}');
    const discard = () => commands.run({ kind: 'discardStagedTokenCache' }, { signal: signal() });
    expect(await discard()).toMatchObject({ ok: true });
    expect(sim.stagedTokenCacheFile()).toBeUndefined();
    expect(sim.tokenCacheFile()?.content).toBe('{"live":1}');
    expect(await discard()).toMatchObject({ ok: true });
  });

  it('says "service api is not running" with a hint to start it, not a migration hint', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    sim.setFaults({ down: true });
    const { commands } = driverFor(sim);
    const res = await commands.run({ kind: 'migrate' }, { signal: signal() });
    expect(res).toMatchObject({ ok: false, reason: 'unavailable' });
    if (res.ok) return;
    expect(res.message).toMatch(/^service api is not running/);
    expect(res.hint).toMatch(/up -d api/);
  });

  it('words its hints in the deployment’s language', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    sim.setFaults({ down: true });
    const { commands } = driverFor(sim, {}, sim.dockerHost, translator('tr'));
    const res = await commands.run({ kind: 'migrate' }, { signal: signal() });
    expect(res.ok).toBe(false);
    if (res.ok) return;
    expect(res.hint).toBe(
      'Onu başlat (proje dizininde `docker compose up -d api`) ve neden durduğunu log’larında ara (`docker compose logs api`); sonra tekrar çalıştır.',
    );
  });

  it('names a project it cannot find by its labels, and how to point at the right one', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    const env = simEnvironment(sim, db.url);
    if (env.driver.kind !== 'compose') return;
    const { commands } = createComposeDriver(
      { ...env.driver, projectName: 'someoneelse' },
      {
        host: parseDockerHost(sim.dockerHost),
        runArgv: async () => ({ ok: true, exitCode: 0, stdout: '', stderr: '', ms: 0 }),
      },
    );
    const res = await commands.run({ kind: 'readEnv' }, { signal: signal() });
    expect(res).toMatchObject({ ok: false, reason: 'unavailable' });
    if (res.ok) return;
    expect(res.message).toContain('com.docker.compose.project=someoneelse');
    expect(res.hint).toContain('driver.projectName');
  });

  it('keeps env_file values fixed at create: restart keeps them, recreate re-reads them, and auto recreates', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, envMode: 'env-file', flag: false });
    const { containers } = driverFor(sim);
    const before = await containers!.states(signal());
    expect(before.ok && before.value.map((s) => s.flagAtCreate)).toEqual(['false', 'false']);
    const decided = await containers!.applyMode(signal());
    expect(decided).toMatchObject({ ok: true, value: { mode: 'recreate' } });

    const text = await readFile(sim.envFile, 'utf8');
    await writeFile(sim.envFile, text.replace('ENABLED=false', 'ENABLED=true'));
    await driverFor(sim, { apply: 'restart' }).commands.run({ kind: 'apply' }, { signal: signal() });
    const restarted = await containers!.states(signal());
    expect(restarted.ok && restarted.value.map((s) => s.flagAtCreate)).toEqual(['false', 'false']);

    await driverFor(sim, { apply: 'recreate' }).commands.run({ kind: 'apply' }, { signal: signal() });
    const recreated = await containers!.states(signal());
    expect(recreated.ok && recreated.value.map((s) => s.flagAtCreate)).toEqual(['true', 'true']);
  });

  it('recreates under auto on env_file even while the file has no flag line yet', async () => {
    sim = await startHunterSim({ databaseUrl: db.url, envMode: 'env-file', flag: false });
    const text = await readFile(sim.envFile, 'utf8');
    await writeFile(sim.envFile, text.replace(/^HUNTER_PARTNER_CENTER_ENABLED=.*\n/m, ''));
    await driverFor(sim, { apply: 'recreate' }).commands.run({ kind: 'apply' }, { signal: signal() });
    const { containers } = driverFor(sim);
    const states = await containers!.states(signal());
    expect(states.ok && states.value.map((s) => s.flagAtCreate)).toEqual([undefined, undefined]);
    const decided = await containers!.applyMode(signal());
    expect(decided).toMatchObject({ ok: true, value: { mode: 'recreate' } });
    if (decided.ok) expect(decided.value.why).toContain('env_file:');
  });

  it('restarts under auto when the file is mounted (nothing of it in the create-time environment)', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    const decided = await driverFor(sim).containers!.applyMode(signal());
    expect(decided).toMatchObject({ ok: true, value: { mode: 'restart' } });
  });

  it('falls back to the compose CLI for an ssh:// host, cutting its -t logs at `since`', async () => {
    sim = await startHunterSim({ databaseUrl: db.url });
    const { commands, containers } = driverFor(sim, {}, 'ssh://ops@hunter.example');
    expect(containers).toBeUndefined();
    const since = new Date();
    const id = await commands.run({ kind: 'celeryCall' }, { signal: signal() });
    expect(id).toMatchObject({ ok: true });
    const logs = await commands.run({ kind: 'logs', since }, { signal: signal() });
    expect(logs).toMatchObject({ ok: true });
    if (!logs.ok) return;
    expect(logs.stdout).toContain('partner_center_sync_skipped');
    expect(logs.stdout).not.toMatch(/^\d{4}-\d\d-\d\dT/m);
    const logArgv = sim.composeCalls().find((c) => c.includes('logs'))!;
    expect(logArgv).toEqual(expect.arrayContaining(['logs', '-t', '--no-color', '--no-log-prefix']));
    expect(sim.engineCalls()).toEqual([]);
  });
});
