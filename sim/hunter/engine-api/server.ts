import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Duplex } from 'node:stream';
import { setTimeout as delay } from 'node:timers/promises';
import type { Project } from '../compose/context.ts';
import { sendJson } from '../listen.ts';
import type { ServiceName } from '../types.ts';
import { findContainer, inspect, listContainers, logFrames } from './containers.ts';
import { ExecTable, startExec } from './exec.ts';

/**
 * The Docker Engine API endpoints the compose driver uses, served on a unix socket of the
 * simulator's own (`DOCKER_HOST=unix://…`), for the project the simulator runs.
 */
export class EngineApiServer {
  readonly #project: Project;
  readonly #record: (call: string) => void;
  readonly #server: Server;
  readonly #execs = new ExecTable();
  #dir = '';
  readonly #execSockets = new Set<Duplex>();
  #restarting: { services: Set<ServiceName>; done: Promise<void> } | undefined;

  constructor(project: Project, record: (call: string) => void) {
    this.#project = project;
    this.#record = record;
    this.#server = createServer(
      (req, res) => void this.#serve(req, res).catch((e) => fail(res, 500, String(e))),
    );
    this.#server.on('upgrade', (req, socket, head) => void this.#upgrade(req, socket, head));
  }

  /** Exec streams still open (a blocked `celery result`, say). */
  get openExecs(): number {
    return this.#execSockets.size;
  }

  /** `unix:///…/docker.sock`. */
  get host(): string {
    return `unix://${this.socketPath}`;
  }

  get socketPath(): string {
    return join(this.#dir, 'docker.sock');
  }

  async start(): Promise<void> {
    // A short path of its own: unix socket paths are limited to ~100 bytes.
    this.#dir = await mkdtemp(join(tmpdir(), 'hsd-'));
    await new Promise<void>((resolve, reject) => {
      this.#server.once('error', reject);
      this.#server.listen(this.socketPath, () => resolve());
    });
  }

  async stop(): Promise<void> {
    // Hijacked streams are no longer the HTTP server's: close them here, or close() waits on them.
    for (const socket of this.#execSockets) socket.destroy();
    await new Promise<void>((resolve) => {
      this.#server.close(() => resolve());
      this.#server.closeAllConnections();
    });
    if (this.#dir) await rm(this.#dir, { recursive: true, force: true });
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://docker');
    const path = url.pathname.replace(/^\/v\d+\.\d+/, '');
    this.#record(`${req.method} ${path}`);
    const body = await readBody(req);
    const project = this.#project;
    if (req.method === 'GET' && path === '/containers/json')
      return sendJson(res, 200, listContainers(project, url.searchParams));
    const execInfo = /^\/exec\/([0-9a-f]+)\/json$/.exec(path);
    if (req.method === 'GET' && execInfo) {
      const exec = this.#execs.get(execInfo[1]!);
      if (!exec) return fail(res, 404, `No such exec instance: ${execInfo[1]}`);
      return sendJson(res, 200, { ID: execInfo[1], Running: exec.running, ExitCode: exec.exitCode });
    }
    const match = /^\/containers\/([^/]+)\/(json|logs|exec|restart)$/.exec(path);
    const container = match ? findContainer(project, decodeURIComponent(match[1]!)) : undefined;
    if (!match) return fail(res, 404, 'page not found');
    if (!container) return fail(res, 404, `No such container: ${match[1]}`);
    const what = match[2];
    if (req.method === 'GET' && what === 'json') return sendJson(res, 200, inspect(project, container));
    await this.#commandDelay(res);
    if (req.method === 'GET' && what === 'logs') {
      this.#record(`logs ${container.service} since=${url.searchParams.get('since') ?? ''}`);
      const frames = logFrames(project, container, url.searchParams);
      res.writeHead(200, { 'content-type': 'application/vnd.docker.multiplexed-stream' });
      return void res.end(frames);
    }
    if (req.method === 'POST' && what === 'exec') {
      const spec = JSON.parse(body || '{}') as { Cmd?: string[]; AttachStdin?: boolean };
      this.#record(`exec ${container.service} ${(spec.Cmd ?? []).join(' ')}`);
      if (!container.running) return fail(res, 409, `Container ${container.id} is not running`);
      if (!Array.isArray(spec.Cmd) || spec.Cmd.length === 0)
        return fail(res, 400, 'No exec command specified');
      return sendJson(res, 201, { Id: this.#execs.create(container, spec.Cmd, spec.AttachStdin === true) });
    }
    if (req.method === 'POST' && what === 'restart') {
      this.#record(`restart ${container.service}`);
      await this.#restart(container.service, res);
      res.writeHead(204);
      return void res.end();
    }
    return fail(res, 405, `${req.method} ${path} is not simulated`);
  }

  async #upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    const path = new URL(req.url ?? '/', 'http://docker').pathname.replace(/^\/v\d+\.\d+/, '');
    this.#record(`${req.method} ${path}`);
    const id = /^\/exec\/([0-9a-f]+)\/start$/.exec(path)?.[1];
    const exec = id === undefined ? undefined : this.#execs.get(id);
    if (!exec) {
      socket.end(
        'HTTP/1.1 404 Not Found\r\nContent-Type: application/json\r\nContent-Length: 38\r\n\r\n{"message":"No such exec instance"}\n\n\n',
      );
      return;
    }
    this.#execSockets.add(socket);
    socket.once('close', () => this.#execSockets.delete(socket));
    await startExec(this.#project, exec, req, socket, head);
  }

  /**
   * `restart api` and `restart worker` arriving together are one restart of both, as compose
   * restarts them: the deployment's pause points see one apply.
   */
  #restart(service: ServiceName, res: ServerResponse): Promise<void> {
    if (this.#restarting) {
      this.#restarting.services.add(service);
      return this.#restarting.done;
    }
    const services = new Set<ServiceName>([service]);
    const gone = clientGone(res);
    const { deployment, pauses } = this.#project;
    const done = (async () => {
      await new Promise((resolve) => setImmediate(resolve));
      this.#restarting = undefined;
      const picked = [...services];
      if (picked.some((s) => s === 'api' || s === 'worker')) {
        await pauses.hold('apply:before', deployment.envFileFlag(), gone.signal);
      }
      await deployment.restart(picked, gone.signal);
    })();
    this.#restarting = { services, done };
    return done;
  }

  async #commandDelay(res: ServerResponse): Promise<void> {
    const ms = this.#project.faults().commandDelayMs;
    if (ms <= 0) return;
    const gone = clientGone(res);
    await delay(ms, undefined, { signal: gone.signal }).catch(() => undefined);
  }
}

/** Aborts when the client drops the connection before the answer is sent (a cancelled call). */
function clientGone(res: ServerResponse): AbortController {
  const gone = new AbortController();
  res.once('close', () => {
    if (!res.writableEnded) gone.abort(new Error('the client went away'));
  });
  return gone;
}

function fail(res: ServerResponse, status: number, message: string): void {
  if (res.headersSent) return void res.end();
  sendJson(res, status, { message });
}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}
