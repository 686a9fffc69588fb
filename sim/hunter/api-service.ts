import {
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
  STATUS_CODES,
} from 'node:http';
import { closeNow, listenOn, sendJson } from './listen.ts';
import type { LogStore } from './log-store.ts';
import type { PausePoints } from './pause-points.ts';
import { pyJson } from './python.ts';
import type { HunterSettings } from './settings.ts';
import { type ContainerFile, checkTokenCache } from './token-cache.ts';
import type { HunterFaults } from './types.ts';

export const HUNTER_VERSION = '1.8.2';
export const OFF_MESSAGE =
  'Partner Center integration is disabled. Enable feature flag to use this endpoint.';
const WRONG_OFF_MESSAGE = 'Partner Center integration is not available.';
export const TOKEN_FAILURE_MESSAGE =
  'Failed to start referral sync: Token acquisition failed. Run setup script to authenticate.';
export const ENQUEUED_MESSAGE = 'Referral sync task enqueued. Check logs for results.';

export interface ApiDeps {
  readonly logs: LogStore;
  readonly faults: () => HunterFaults;
  readonly tokenCache: () => ContainerFile | undefined;
  /** Hosts a cache entry must be keyed by for this tenant's authority; undefined: any. */
  readonly authorityHosts: (tenantId: string) => readonly string[] | undefined;
  /** `sync_partner_center_referrals_task.delay()`: returns the task id. */
  readonly enqueue: () => string;
  readonly pauses: PausePoints;
}

/**
 * The FastAPI app behind uvicorn. Its port is chosen once; while the process is not serving
 * (stopped, restarting, slow start) nothing listens there, so clients get connection refused.
 */
export class ApiService {
  readonly #deps: ApiDeps;
  #server: Server | undefined;
  #port = 0;
  #settings: HunterSettings | undefined;
  #generation = 0;

  constructor(deps: ApiDeps) {
    this.#deps = deps;
  }

  get port(): number {
    return this.#port;
  }

  /** Picks the published port once, even when the first start is a crash (the `down` fault). */
  async reservePort(): Promise<void> {
    const probe = createServer();
    this.#port = await listenOn(probe, 0);
    await closeNow(probe);
  }

  /** Starts the process; it listens after `delayMs` (slow start). Resolves once it listens. */
  async start(settings: HunterSettings, delayMs: number): Promise<void> {
    const generation = ++this.#generation;
    this.#settings = settings;
    this.#log(['INFO:     Started server process [1]', 'INFO:     Waiting for application startup.']);
    if (delayMs > 0) await new Promise((resolve) => setTimeout(resolve, delayMs));
    if (generation !== this.#generation) return;
    const server = createServer((req, res) => this.#handle(req, res));
    this.#port = await listenWithRetry(server, this.#port);
    if (generation !== this.#generation) return void (await closeNow(server));
    this.#server = server;
    this.#log([
      'INFO:     Application startup complete.',
      'INFO:     Uvicorn running on http://0.0.0.0:8000 (Press CTRL+C to quit)',
    ]);
  }

  async stop(): Promise<void> {
    this.#generation++;
    const server = this.#server;
    const wasRunning = this.#settings !== undefined;
    this.#server = undefined;
    this.#settings = undefined;
    if (server) await closeNow(server);
    if (wasRunning) {
      this.#log(['INFO:     Shutting down', 'INFO:     Finished server process [1]']);
    }
  }

  #handle(req: IncomingMessage, res: ServerResponse): void {
    const settings = this.#settings;
    if (!settings) {
      req.socket.destroy();
      return;
    }
    res.on('finish', () =>
      this.#log([
        `INFO:     172.18.0.1:${req.socket.remotePort ?? 0} - "${req.method} ${req.url} HTTP/1.1" ${res.statusCode} ${STATUS_CODES[res.statusCode] ?? ''}`,
      ]),
    );
    const respond = () => {
      if (res.destroyed) return;
      const answer = this.#route(
        settings,
        req.method ?? 'GET',
        new URL(req.url ?? '/', 'http://api').pathname,
      );
      sendJson(res, answer.status, answer.body, { server: 'uvicorn', ...answer.headers });
    };
    void this.#holdIfArmed(req, res, settings).then(() => {
      const { apiDelayMs } = this.#deps.faults();
      if (apiDelayMs > 0) setTimeout(respond, apiDelayMs).unref();
      else respond();
    });
  }

  /** The test's `healthz:before` / `sync:before`; the held request is answered on release. */
  async #holdIfArmed(req: IncomingMessage, res: ServerResponse, settings: HunterSettings): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://api').pathname;
    const point =
      path === '/healthz' ? 'healthz:before' : path === '/api/referrals/sync' ? 'sync:before' : undefined;
    if (point === undefined) return;
    const gone = new AbortController();
    res.on('close', () => {
      if (!res.writableFinished) gone.abort();
    });
    await this.#deps.pauses.hold(point, settings.enabled, gone.signal);
  }

  #route(settings: HunterSettings, method: string, path: string): Answer {
    const route = ROUTES.get(path);
    if (!route) return { status: 404, body: { detail: 'Not Found' } };
    if (route !== method)
      return { status: 405, body: { detail: 'Method Not Allowed' }, headers: { allow: route } };
    if (path === '/healthz') {
      return {
        status: 200,
        body: { status: 'ok', partner_center_enabled: settings.enabled, version: HUNTER_VERSION },
      };
    }
    return this.#sync(settings);
  }

  /** `app/api/referrals.py`: refuse when OFF, check the token, enqueue the task. */
  #sync(settings: HunterSettings): Answer {
    const faults = this.#deps.faults();
    if (!settings.enabled && faults.offWrongMessage)
      return { status: 400, body: { detail: WRONG_OFF_MESSAGE } };
    if (!settings.enabled && !faults.offReturns200) return { status: 400, body: { detail: OFF_MESSAGE } };
    const cache = checkTokenCache(
      this.#deps.tokenCache(),
      settings.clientId,
      this.#deps.authorityHosts(settings.tenantId),
    );
    // The broken OFF path skips the token check as well: it just enqueues.
    if (settings.enabled && !cache.ok) {
      const timestamp = new Date().toISOString();
      this.#log([
        pyJson({
          error: cache.why,
          event: 'partner_center_token_acquisition_failed',
          level: 'error',
          timestamp,
        }),
      ]);
      return { status: 500, body: { detail: TOKEN_FAILURE_MESSAGE } };
    }
    const body = {
      success: true,
      message: ENQUEUED_MESSAGE,
      enqueued: true,
      task_id: this.#deps.enqueue(),
      success_count: 0,
      failure_count: 0,
      skipped_count: 0,
      errors: [],
    };
    return { status: 200, body };
  }

  #log(lines: string[]): void {
    this.#deps.logs.append('api', lines.join('\n'));
  }
}

interface Answer {
  readonly status: number;
  readonly body: unknown;
  readonly headers?: Record<string, string>;
}

const ROUTES: ReadonlyMap<string, string> = new Map([
  ['/healthz', 'GET'],
  ['/api/referrals/sync', 'POST'],
]);

/** The port was ours a moment ago; wait for the kernel to hand it back rather than move. */
async function listenWithRetry(server: Server, port: number): Promise<number> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await listenOn(server, port);
    } catch (error) {
      if ((error as { code?: string }).code !== 'EADDRINUSE' || attempt >= 100) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
}
