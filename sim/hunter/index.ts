import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as delay } from 'node:timers/promises';
import { Agent } from 'undici';
import { ApiService } from './api-service.ts';
import { CeleryBeat } from './beat.ts';
import { runCompose } from './compose/cli.ts';
import type { Project } from './compose/context.ts';
import { ControlServer } from './control-server.ts';
import { Deployment } from './deployment.ts';
import { EngineApiServer } from './engine-api/server.ts';
import { DEFAULT_CLIENT_ID, DEFAULT_SCOPE, DEFAULT_TENANT_ID, initialEnvText } from './env-file.ts';
import { LogStore } from './log-store.ts';
import { FakePartnerCenter } from './partner-center.ts';
import { PausePoints } from './pause-points.ts';
import { composeFileText, defaultProjectName, removeControlFile, writeControlFile } from './project-files.ts';
import { runSyncTask, SYNC_TASK_NAME } from './sync-task.ts';
import { authorityHostsOf, SharedVolume, STAGED_TOKEN_CACHE_PATH, TOKEN_CACHE_PATH } from './token-cache.ts';
import { type HunterFaults, type HunterSim, type HunterSimOptions, NO_FAULTS } from './types.ts';
import { CeleryWorker } from './worker.ts';

export { ENQUEUED_MESSAGE, OFF_MESSAGE, TOKEN_FAILURE_MESSAGE } from './api-service.ts';
export { BEAT_ENTRY } from './beat.ts';
export { DEFAULT_CLIENT_ID, DEFAULT_SCOPE, DEFAULT_TENANT_ID } from './env-file.ts';
export { REFERRALS_PATH, SAMPLE_REFERRALS } from './partner-center.ts';
export { SYNC_TASK_NAME } from './sync-task.ts';
export type { HunterAadOptions, HunterFaults, HunterSim, HunterSimOptions, RequiredEnvVar } from './types.ts';
export { NO_FAULTS } from './types.ts';

/**
 * Starts a simulated Hunter deployment: api (HTTP on 127.0.0.1), Celery worker, alembic
 * migration into `databaseUrl`, and the compose project the stand-in `docker` executables
 * (sim/bin) route to. Resolves once the api answers.
 */
export async function startHunterSim(options: HunterSimOptions): Promise<HunterSim> {
  const faults: HunterFaults = { ...NO_FAULTS, ...options.faults };
  const ownDir = options.projectDir === undefined;
  const projectDir = options.projectDir ?? (await mkdtemp(join(tmpdir(), 'hunter-sim-')));
  await mkdir(projectDir, { recursive: true });
  const envFile = join(projectDir, '.env');
  const envMode = options.envMode ?? 'bind-mount';
  const logs = new LogStore();
  const pauses = new PausePoints();
  const volume = new SharedVolume();
  const partnerCenter = new FakePartnerCenter(
    () => faults.partnerCenterUnreachable,
    options.aad?.accessTokenState,
  );
  await partnerCenter.start();
  const aadDispatcher = options.aad?.ca ? new Agent({ connect: { ca: options.aad.ca } }) : undefined;
  const authorityHosts = (tenantId: string) =>
    options.aad ? authorityHostsOf(options.aad.tokenUrl(tenantId)) : undefined;

  const worker = new CeleryWorker(logs, (settings, ctx) =>
    runSyncTask({
      ...ctx,
      settings,
      faults: { ...faults },
      tokenCache: volume.read(TOKEN_CACHE_PATH),
      aad: options.aad,
      aadDispatcher,
      delayMs: options.taskDelayMs ?? 50,
    }),
  );
  const beat = new CeleryBeat(logs, worker);
  if (options.beatIntervalMs !== undefined) beat.schedule(options.beatIntervalMs);
  const api = new ApiService({
    logs,
    faults: () => faults,
    tokenCache: () => volume.read(TOKEN_CACHE_PATH),
    authorityHosts,
    enqueue: () => worker.send(SYNC_TASK_NAME),
    pauses,
  });
  await writeFile(
    envFile,
    initialEnvText({
      flag: options.flag ?? false,
      clientId: options.clientId ?? DEFAULT_CLIENT_ID,
      tenantId: options.tenantId ?? DEFAULT_TENANT_ID,
      scope: options.scope ?? DEFAULT_SCOPE,
      apiUrl: partnerCenter.baseUrl,
      emptyVar: faults.emptyEnvVar,
      ...(options.extraEnvLines ? { extra: options.extraEnvLines } : {}),
    }),
  );
  const deployment = new Deployment({
    envFile,
    envMode,
    appReadsDotenv: options.appReadsDotenv ?? false,
    faults: () => faults,
    api,
    worker,
    logs,
    pauses,
  });
  const project: Project = {
    dir: projectDir,
    name: options.projectName ?? defaultProjectName(projectDir),
    cli: options.compose ?? 'v2',
    v1Release: options.composeV1Release ?? '1.29.2',
    envMode,
    deployment,
    logs,
    worker,
    volume,
    faults: () => faults,
    databaseUrl: options.databaseUrl,
    apiPort: () => api.port,
    pauses,
  };
  const calls: string[][] = [];
  const engineCalls: string[] = [];
  const engine = new EngineApiServer(project, (call) => engineCalls.push(call));
  const control = new ControlServer({
    handle: async (call) => {
      if (faults.commandDelayMs > 0) await delay(faults.commandDelayMs, undefined, { signal: call.signal });
      return runCompose(call, project);
    },
    record: (argv) => calls.push([...argv]),
  });
  try {
    await api.reservePort();
    await deployment.create();
    await writeFile(join(projectDir, 'docker-compose.yml'), composeFileText(envMode, api.port));
    await control.start();
    await engine.start();
    await writeControlFile(projectDir, control.url, control.token);
  } catch (error) {
    // Half-started: release what did start, so a failed start leaks no port or temp dir.
    beat.stop();
    worker.close();
    await Promise.allSettled([
      control.stop(),
      engine.stop(),
      deployment.stopEverything(),
      partnerCenter.stop(),
      aadDispatcher?.close(),
    ]);
    await removeControlFile(projectDir);
    if (ownDir) await rm(projectDir, { recursive: true, force: true });
    throw error;
  }

  let lifecycle: Promise<void> = Promise.resolve();
  let stopping: Promise<void> | undefined;
  return {
    apiUrl: `http://127.0.0.1:${api.port}`,
    projectDir,
    envFile,
    dockerHost: engine.host,
    setFaults(next) {
      const wasDown = faults.down;
      Object.assign(faults, next);
      const down = faults.down;
      if (down !== wasDown) lifecycle = lifecycle.then(() => deployment.setDown(down)).catch(() => undefined);
    },
    composeCalls: () => calls.map((argv) => [...argv]),
    engineCalls: () => [...engineCalls],
    tokenCacheFile() {
      const file = volume.read(TOKEN_CACHE_PATH);
      return file && { content: file.content.toString('utf8'), mode: file.mode };
    },
    stagedTokenCacheFile() {
      const file = volume.read(STAGED_TOKEN_CACHE_PATH);
      return file && { content: file.content.toString('utf8'), mode: file.mode };
    },
    serviceEnv: (service) => ({ ...deployment.container(service).env }),
    pauseAt: (point, options) => pauses.arm(point, options),
    openControlRequests: () => control.open + engine.openExecs,
    beatNow: () => beat.tick(),
    scheduleBeat: (intervalMs) => (intervalMs === false ? beat.stop() : beat.schedule(intervalMs)),
    restart() {
      lifecycle = lifecycle.then(() => deployment.restart(['api', 'worker']));
      return lifecycle;
    },
    stop() {
      stopping ??= (async () => {
        pauses.releaseAll();
        beat.stop();
        await control.stop();
        await engine.stop();
        worker.close();
        await lifecycle;
        await deployment.stopEverything();
        await partnerCenter.stop();
        await aadDispatcher?.close();
        await removeControlFile(projectDir);
        if (ownDir) await rm(projectDir, { recursive: true, force: true });
      })();
      return stopping;
    },
  };
}
