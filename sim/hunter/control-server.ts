import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { z } from 'zod';
import type { ComposeCall } from './compose/context.ts';
import { closeNow, listenOn, sendJson } from './listen.ts';
import type { CommandReply } from './types.ts';

/** What the stand-in sends in the `x-hunter-call` header (base64url JSON); stdin is the body. */
const CallHeader = z.strictObject({
  program: z.enum(['docker', 'docker-compose']),
  argv: z.array(z.string()),
  cwd: z.string().startsWith('/'),
  stdinTty: z.boolean().default(false),
});

export interface ControlDeps {
  readonly handle: (call: ComposeCall) => Promise<CommandReply>;
  readonly record: (argv: readonly string[]) => void;
}

/**
 * The endpoint the stand-in `docker` executables talk to. A request stays open while the
 * command runs; when the stand-in dies its connection closes and the command is aborted.
 */
export class ControlServer {
  readonly token = randomBytes(24).toString('hex');
  readonly #deps: ControlDeps;
  readonly #server: Server;
  readonly #inFlight = new Set<AbortController>();
  #port = 0;

  constructor(deps: ControlDeps) {
    this.#deps = deps;
    this.#server = createServer((req, res) => void this.#serve(req, res));
  }

  get url(): string {
    return `http://127.0.0.1:${this.#port}`;
  }

  get open(): number {
    return this.#inFlight.size;
  }

  async start(): Promise<void> {
    this.#port = await listenOn(this.#server, 0);
  }

  async stop(): Promise<void> {
    for (const controller of this.#inFlight) controller.abort(new Error('simulator stopped'));
    await closeNow(this.#server);
  }

  async #serve(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (req.method !== 'POST' || req.url !== '/exec') return sendJson(res, 404, { error: 'not found' });
    if (!this.#authorised(req.headers.authorization)) return sendJson(res, 401, { error: 'bad token' });
    const header = CallHeader.safeParse(decodeHeader(req.headers['x-hunter-call']));
    if (!header.success) return sendJson(res, 400, { error: 'bad x-hunter-call header' });
    const controller = new AbortController();
    this.#inFlight.add(controller);
    res.on('close', () => {
      this.#inFlight.delete(controller);
      if (!res.writableFinished) controller.abort(new Error('the stand-in went away'));
    });
    this.#deps.record(header.data.argv);
    let result: CommandReply;
    try {
      result = await this.#deps.handle({ ...header.data, stdin: req, signal: controller.signal });
    } catch (error) {
      result = {
        exitCode: 1,
        stdout: '',
        stderr: `hunter-sim: ${error instanceof Error ? error.message : String(error)}\n`,
      };
    }
    if (res.destroyed) return;
    if (req.headers['x-hunter-reply'] === 'raw') sendRaw(res, result);
    else sendJson(res, 200, result);
  }

  #authorised(header: string | undefined): boolean {
    const given = Buffer.from(/^Bearer (\S+)$/.exec(header ?? '')?.[1] ?? '');
    const expected = Buffer.from(this.token);
    return given.length === expected.length && timingSafeEqual(given, expected);
  }
}

/**
 * The answer for sim/bin/docker-lite (a shell script cannot parse JSON cheaply): the exit code
 * and the length of stdout in headers, stdout then stderr as the body.
 */
function sendRaw(res: ServerResponse, result: CommandReply): void {
  const stdout = Buffer.from(result.stdout);
  const body = Buffer.concat([stdout, Buffer.from(result.stderr)]);
  res.writeHead(200, {
    'content-type': 'application/octet-stream',
    'content-length': String(body.length),
    'x-exit-code': String(result.exitCode),
    'x-stdout-bytes': String(stdout.length),
    connection: 'close',
  });
  res.end(body);
}

function decodeHeader(value: string | string[] | undefined): unknown {
  if (typeof value !== 'string') return undefined;
  try {
    return JSON.parse(Buffer.from(value, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}
