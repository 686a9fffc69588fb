import type { Duplex } from 'node:stream';
import { Agent, type Dispatcher } from 'undici';
import type { z } from 'zod';
import type { DockerHost } from './host.ts';
import { DaemonError } from './schema.ts';

/** Every path names the API version: 1.41 is docker 20.10's, and every later daemon still speaks it. */
export const API_PREFIX = '/v1.41';

export type EngineFailure = {
  readonly ok: false;
  /** unreachable: no daemon at the host; daemon: it answered with an error status. */
  readonly reason: 'unreachable' | 'timeout' | 'cancelled' | 'daemon' | 'invalid';
  readonly status?: number;
  readonly message: string;
};
export type EngineResult<T> = { readonly ok: true; readonly value: T } | EngineFailure;

export interface CallOptions {
  readonly signal: AbortSignal;
  readonly timeoutMs: number;
}

export interface EngineRequest {
  readonly method: 'GET' | 'POST';
  readonly path: string;
  readonly body?: unknown;
}

/**
 * HTTP to the Docker Engine API over its unix socket (or plain tcp://). Answers are checked
 * against a zod schema; a daemon error keeps the daemon's own message.
 */
export class EngineHttp {
  readonly #agent: Agent;
  readonly #origin: string;
  readonly host: Exclude<DockerHost, { kind: 'cli' }>;

  constructor(host: Exclude<DockerHost, { kind: 'cli' }>) {
    this.host = host;
    this.#origin = host.kind === 'unix' ? 'http://docker' : host.origin;
    this.#agent =
      host.kind === 'unix' ? new Agent({ connect: { socketPath: host.socketPath } }) : new Agent();
  }

  async json<S extends z.ZodType>(
    req: EngineRequest,
    schema: S,
    options: CallOptions,
  ): Promise<EngineResult<z.infer<S>>> {
    const raw = await this.bytes(req, options);
    if (!raw.ok) return raw;
    if (raw.value.length === 0 && req.method === 'POST') return { ok: true, value: schema.parse(undefined) };
    let parsed: unknown;
    try {
      parsed = JSON.parse(raw.value.toString('utf8'));
    } catch {
      return {
        ok: false,
        reason: 'invalid',
        message: `${this.describe(req)}: the daemon's answer is not JSON`,
      };
    }
    const checked = schema.safeParse(parsed);
    if (!checked.success) {
      return {
        ok: false,
        reason: 'invalid',
        message: `${this.describe(req)}: unexpected answer (${checked.error.issues[0]?.message})`,
      };
    }
    return { ok: true, value: checked.data };
  }

  /** The body as bytes (logs are a frame stream, not JSON). */
  async bytes(req: EngineRequest, options: CallOptions): Promise<EngineResult<Buffer>> {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    try {
      const res = await this.#agent.request({
        origin: this.#origin,
        path: `${API_PREFIX}${req.path}`,
        method: req.method,
        headers: req.body === undefined ? {} : { 'content-type': 'application/json' },
        ...(req.body === undefined ? {} : { body: JSON.stringify(req.body) }),
        signal,
      });
      const body = Buffer.from(await res.body.arrayBuffer());
      if (res.statusCode >= 300) return this.daemonError(req, res.statusCode, body);
      return { ok: true, value: body };
    } catch (error) {
      return this.failure(req, error, options);
    }
  }

  /**
   * The hijacked stream of `POST /exec/{id}/start`: after `101 UPGRADED` the connection carries
   * stdin one way and the multiplexed output the other.
   */
  async upgrade(req: EngineRequest, options: CallOptions): Promise<EngineResult<Duplex>> {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    try {
      // undici sends a body with an upgrade request; its types just do not list one.
      const options: Dispatcher.UpgradeOptions & { origin: string; body: string } = {
        origin: this.#origin,
        path: `${API_PREFIX}${req.path}`,
        method: 'POST',
        protocol: 'tcp',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(req.body ?? {}),
        signal,
      };
      const { socket } = await this.#agent.upgrade(options);
      return { ok: true, value: socket };
    } catch (error) {
      return this.failure(req, error, options);
    }
  }

  describe(req: EngineRequest): string {
    return `${req.method} ${req.path.split('?')[0]}`;
  }

  close(): Promise<void> {
    return this.#agent.close();
  }

  private daemonError(req: EngineRequest, status: number, body: Buffer): EngineFailure {
    let message = body.toString('utf8').trim();
    try {
      const parsed = DaemonError.safeParse(JSON.parse(message));
      if (parsed.success) message = parsed.data.message;
    } catch {
      // Not JSON: the text as it came.
    }
    return {
      ok: false,
      reason: 'daemon',
      status,
      message: message || `${this.describe(req)}: HTTP ${status}`,
    };
  }

  failure(req: EngineRequest, error: unknown, options: CallOptions): EngineFailure {
    if (options.signal.aborted)
      return { ok: false, reason: 'cancelled', message: `${this.describe(req)} was cancelled` };
    const name = (error as { name?: string }).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      return {
        ok: false,
        reason: 'timeout',
        message: `${this.describe(req)}: the Docker daemon did not answer within ${Math.round(options.timeoutMs / 1000)} s`,
      };
    }
    const code = (error as { code?: string }).code ?? (error as { cause?: { code?: string } }).cause?.code;
    return {
      ok: false,
      reason: 'unreachable',
      message: `cannot reach the Docker daemon at ${this.host.text} (${code ?? String(error)})`,
    };
  }
}
