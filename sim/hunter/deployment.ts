import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { ApiService } from './api-service.ts';
import { parseDotenv } from './env-file.ts';
import type { LogStore } from './log-store.ts';
import type { PausePoints } from './pause-points.ts';
import { loadSettings } from './settings.ts';
import { uvicornImportTraceback } from './tracebacks.ts';
import { type HunterFaults, SERVICE_NAMES, type ServiceName } from './types.ts';
import type { CeleryWorker } from './worker.ts';

/** One container of the compose project. */
export interface Container {
  readonly service: ServiceName;
  id: string;
  createdAt: Date;
  startedAt: Date;
  running: boolean;
  exitCode: number;
  /** The `.env` values the process was given (at create in env-file mode, at every start when mounted). */
  fileEnv: Readonly<Record<string, string>>;
  /** The whole environment of the process: image defaults, compose's, the file's. */
  env: Readonly<Record<string, string>>;
  /**
   * `Config.Env`: fixed when the container is created. With `env_file:` it holds the file's
   * values as they were then (a restart keeps them); with a mounted `.env` it holds none.
   */
  createEnv: Readonly<Record<string, string>>;
  restartCount: number;
}

export interface DeploymentDeps {
  readonly envFile: string;
  readonly envMode: 'bind-mount' | 'env-file';
  /** See HunterSimOptions.appReadsDotenv. */
  readonly appReadsDotenv?: boolean;
  readonly faults: () => HunterFaults;
  readonly api: ApiService;
  readonly worker: CeleryWorker;
  readonly logs: LogStore;
  readonly pauses: PausePoints;
}

const IMAGE_ENV = {
  LANG: 'C.UTF-8',
  GPG_KEY: 'A035C8C19219BA821ECEA86B64E628F8D684696D',
  PYTHON_VERSION: '3.11.9',
  PYTHONDONTWRITEBYTECODE: '1',
  PYTHONUNBUFFERED: '1',
  HOME: '/root',
};

/** The containers' lifecycle: create, restart, stop, and what each start reads from `.env`. */
export class Deployment {
  readonly #deps: DeploymentDeps;
  readonly #containers = new Map<ServiceName, Container>();

  constructor(deps: DeploymentDeps) {
    this.#deps = deps;
  }

  /** `up -d` of a fresh project; resolves when the api listens. */
  async create(): Promise<void> {
    for (const service of SERVICE_NAMES) this.#containers.set(service, this.#newContainer(service));
    await this.#startAll(SERVICE_NAMES, 'create', 0);
  }

  container(service: ServiceName): Container {
    return this.#containers.get(service)!;
  }

  /** Whether `up -d` would recreate the service: with `env_file:` the file is part of its config. */
  configChanged(service: ServiceName): boolean {
    if (this.#deps.envMode !== 'env-file' || !isApp(service)) return false;
    return !sameEnv(this.container(service).fileEnv, this.#readEnvFile());
  }

  /** HUNTER_PARTNER_CENTER_ENABLED as the env file says now (what a start would read). */
  envFileFlag(): boolean {
    return this.#readEnvFile().HUNTER_PARTNER_CENTER_ENABLED?.toLowerCase() === 'true';
  }

  /** `signal`: the compose client went away (the restart still completes, as the daemon's would). */
  async restart(services: readonly ServiceName[], signal?: AbortSignal): Promise<void> {
    await this.#stopAll(services);
    await this.#holdWhileStopped(services, signal);
    await this.#startAll(services, 'restart', this.#deps.faults().startDelayMs);
  }

  async recreate(services: readonly ServiceName[], signal?: AbortSignal): Promise<void> {
    await this.#stopAll(services);
    await this.#holdWhileStopped(services, signal);
    for (const service of services) this.#containers.set(service, this.#newContainer(service));
    await this.#startAll(services, 'create', this.#deps.faults().startDelayMs);
  }

  #holdWhileStopped(services: readonly ServiceName[], signal?: AbortSignal): Promise<void> {
    if (!services.some(isApp)) return Promise.resolve();
    return this.#deps.pauses.hold('apply:during', this.envFileFlag(), signal);
  }

  async start(services: readonly ServiceName[]): Promise<void> {
    const stopped = services.filter((s) => !this.container(s).running);
    await this.#startAll(stopped, 'restart', this.#deps.faults().startDelayMs);
  }

  /** The `down` fault: api and worker exit and stay down until it is cleared. */
  async setDown(down: boolean): Promise<void> {
    if (down) await this.#stopAll(['api', 'worker'], 137);
    else await this.start(['api', 'worker']);
  }

  async stopEverything(): Promise<void> {
    await this.#stopAll(SERVICE_NAMES);
  }

  /** The state changes at once (exec sees "not running" right away); the processes wind down after. */
  async #stopAll(services: readonly ServiceName[], exitCode = 0): Promise<void> {
    for (const service of services) {
      const container = this.container(service);
      if (container.running) container.exitCode = exitCode;
      container.running = false;
    }
    await Promise.all([
      services.includes('api') ? this.#deps.api.stop() : undefined,
      services.includes('worker') ? this.#deps.worker.stop() : undefined,
    ]);
  }

  async #startAll(
    services: readonly ServiceName[],
    reason: 'create' | 'restart',
    delayMs: number,
  ): Promise<void> {
    const listening: Promise<void>[] = [];
    for (const service of services) {
      const started = this.#startOne(this.container(service), reason, delayMs);
      if (started) listening.push(started);
    }
    // compose returns once the containers run; a slow app keeps starting in the background.
    if (delayMs === 0) await Promise.all(listening);
  }

  #startOne(container: Container, reason: 'create' | 'restart', delayMs: number): Promise<void> | undefined {
    const faults = this.#deps.faults();
    const reread = reason === 'create' || (this.#deps.envMode === 'bind-mount' && !faults.restartIgnoresEnv);
    if (reread) container.fileEnv = this.#readEnvFile();
    if (reason === 'create') {
      const fromFile = this.#deps.envMode === 'env-file' ? container.fileEnv : {};
      container.createEnv = { PATH, ...fromFile, ...IMAGE_ENV };
    }
    // With `env_file:` compose puts the values into the process environment; a mounted `.env`
    // that the app reads itself (pydantic-settings) leaves them out of it.
    const inProcessEnv = this.#deps.envMode === 'env-file' || !this.#deps.appReadsDotenv;
    container.env = {
      PATH: PATH,
      HOSTNAME: container.id.slice(0, 12),
      ...(inProcessEnv ? container.fileEnv : {}),
      ...IMAGE_ENV,
    };
    container.startedAt = new Date();
    if (!isApp(container.service)) {
      container.running = true;
      return undefined;
    }
    if (faults.down) {
      container.exitCode = 1;
      return undefined;
    }
    if (faults.apiCrashesAtStart && container.service === 'api') {
      this.#deps.logs.append('api', uvicornImportTraceback().join('\n'));
      container.exitCode = 1;
      return undefined;
    }
    // pydantic-settings: the process environment wins over the `.env` file.
    const loaded = loadSettings({ ...container.fileEnv, ...container.env });
    if (!loaded.ok) {
      this.#deps.logs.append(container.service, loaded.traceback.join('\n'));
      container.exitCode = 1;
      return undefined;
    }
    container.running = true;
    container.exitCode = 0;
    if (container.service === 'worker') {
      this.#deps.worker.start(loaded.settings, container.env.HOSTNAME ?? 'worker');
      return undefined;
    }
    return this.#deps.api.start(loaded.settings, delayMs).catch((error: unknown) => {
      this.#deps.logs.append('api', `ERROR:    ${error instanceof Error ? error.message : String(error)}`);
      container.running = false;
      container.exitCode = 1;
    });
  }

  #newContainer(service: ServiceName): Container {
    const now = new Date();
    return {
      service,
      id: randomBytes(32).toString('hex'),
      createdAt: now,
      startedAt: now,
      running: false,
      exitCode: 0,
      fileEnv: {},
      env: {},
      createEnv: {},
      restartCount: 0,
    };
  }

  #readEnvFile(): Record<string, string> {
    try {
      return Object.fromEntries(parseDotenv(readFileSync(this.#deps.envFile, 'utf8')));
    } catch {
      return {};
    }
  }
}

const PATH = '/usr/local/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

export function isApp(service: ServiceName): service is 'api' | 'worker' {
  return service === 'api' || service === 'worker';
}

function sameEnv(a: Readonly<Record<string, string>>, b: Readonly<Record<string, string>>): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => a[k] === b[k]);
}
