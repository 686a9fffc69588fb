import type { Duplex } from 'node:stream';
import type { CallOptions, EngineHttp, EngineRequest, EngineResult } from './engine.ts';
import { FrameDemuxer } from './frames.ts';
import { ExecCreated, ExecInspect } from './schema.ts';

export interface ExecRequest {
  readonly containerId: string;
  readonly cmd: readonly string[];
  /** Written to the process's stdin, which is then closed (the process reads to EOF). */
  readonly stdin?: string;
  /** Bytes of output kept per stream (the tail). */
  readonly outputCap: number;
}

export interface ExecDone {
  readonly exitCode: number;
  readonly stdout: string;
  readonly stderr: string;
}

/**
 * `docker exec -i` over the Engine API: create, start attached (the hijacked stream), then the
 * exit code from `GET /exec/{id}/json`.
 *
 * A timeout or an abort closes the stream and returns at once, but the daemon has no call to
 * stop an exec'd process: it runs on inside the container (stdin at EOF, its output going
 * nowhere) until it ends by itself — as it does when `docker compose exec` is killed.
 */
export async function execInContainer(
  http: EngineHttp,
  req: ExecRequest,
  options: CallOptions,
): Promise<EngineResult<ExecDone>> {
  const started = Date.now();
  const remaining = () => Math.max(1, options.timeoutMs - (Date.now() - started));
  const created = await http.json(
    {
      method: 'POST',
      path: `/containers/${encodeURIComponent(req.containerId)}/exec`,
      body: {
        AttachStdin: req.stdin !== undefined,
        AttachStdout: true,
        AttachStderr: true,
        Tty: false,
        Cmd: req.cmd,
      },
    },
    ExecCreated,
    options,
  );
  if (!created.ok) return created;
  const execId = created.value.Id;
  const startReq = {
    method: 'POST' as const,
    path: `/exec/${execId}/start`,
    body: { Detach: false, Tty: false },
  };
  const stream = await http.upgrade(startReq, { signal: options.signal, timeoutMs: remaining() });
  if (!stream.ok) return stream;
  const demuxer = new FrameDemuxer(req.outputCap);
  const finished = await attached(http, startReq, stream.value, demuxer, req.stdin, options, remaining());
  if (!finished.ok) return finished;
  const exit = await http.json({ method: 'GET', path: `/exec/${execId}/json` }, ExecInspect, {
    signal: options.signal,
    timeoutMs: remaining(),
  });
  if (!exit.ok) return exit;
  const { stdout, stderr } = demuxer.result();
  return {
    ok: true,
    value: {
      exitCode: exit.value.ExitCode ?? -1,
      stdout: stdout.toString('utf8'),
      stderr: stderr.toString('utf8'),
    },
  };
}

/**
 * The attached stream, read into the demuxer until the daemon closes it (the process ended);
 * a timeout or an abort closes it from this side. Its stdin is written and closed once the
 * listeners are in place.
 */
function attached(
  http: EngineHttp,
  startReq: EngineRequest,
  socket: Duplex,
  demuxer: FrameDemuxer,
  stdin: string | undefined,
  options: CallOptions,
  /** What is left of the call's deadline; failures still name the call's whole timeout. */
  leftMs: number,
): Promise<EngineResult<true>> {
  const ended = new Promise<EngineResult<true>>((resolve) => {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(leftMs)]);
    const stop = () => {
      socket.destroy();
      resolve(http.failure(startReq, signal.reason, options));
    };
    if (signal.aborted) return stop();
    signal.addEventListener('abort', stop, { once: true });
    socket.on('data', (chunk: Buffer) => demuxer.push(chunk));
    socket.on('error', (error) => {
      signal.removeEventListener('abort', stop);
      resolve(http.failure(startReq, error, options));
    });
    socket.on('close', () => {
      signal.removeEventListener('abort', stop);
      resolve({ ok: true, value: true });
    });
  });
  if (stdin !== undefined) socket.end(stdin);
  return ended;
}
