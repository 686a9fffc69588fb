import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { PassThrough } from 'node:stream';
import { frame } from '../../../src/hunter/docker/frames.ts';
import type { Invocation, Project } from '../compose/context.ts';
import { programFor } from '../compose/exec.ts';
import type { Container } from '../deployment.ts';
import { APP_DIR } from '../token-cache.ts';

interface ExecRecord {
  readonly container: Container;
  readonly cmd: readonly string[];
  readonly attachStdin: boolean;
  running: boolean;
  exitCode: number | null;
}

/** Execs created and not yet forgotten (`GET /exec/{id}/json` reads them after the stream ends). */
export class ExecTable {
  readonly #execs = new Map<string, ExecRecord>();

  create(container: Container, cmd: readonly string[], attachStdin: boolean): string {
    const id = randomBytes(32).toString('hex');
    this.#execs.set(id, { container, cmd, attachStdin, running: false, exitCode: null });
    if (this.#execs.size > 1_000) this.#execs.delete(this.#execs.keys().next().value!);
    return id;
  }

  get(id: string): ExecRecord | undefined {
    return this.#execs.get(id);
  }
}

/**
 * `POST /exec/{id}/start` hijacked: the request body (its JSON) arrives first, then stdin; the
 * answer is `101 UPGRADED` and the output in frames. As the real daemon does, a missing program
 * is exit 126 with runc's message on stdout. A client that goes away stops the simulated
 * program (so a blocked `celery result` does not outlive its test); the real daemon lets it run.
 */
export async function startExec(
  project: Project,
  exec: ExecRecord,
  req: IncomingMessage,
  socket: Duplex,
  head: Buffer,
): Promise<void> {
  const stdin = new PassThrough();
  let skip = Number(req.headers['content-length'] ?? 0);
  const feed = (chunk: Buffer) => {
    const rest = skip > 0 ? chunk.subarray(Math.min(skip, chunk.length)) : chunk;
    skip = Math.max(0, skip - chunk.length);
    if (rest.length > 0 && exec.attachStdin) stdin.write(rest);
  };
  if (head.length > 0) feed(head);
  socket.on('data', feed);
  const gone = new AbortController();
  // A client that sends stdin half-closes to say EOF; one that sent none only closes to leave.
  socket.on('end', () => {
    stdin.end();
    if (!exec.attachStdin) gone.abort(new Error('the client went away'));
  });
  if (!exec.attachStdin) stdin.end();
  socket.on('close', () => gone.abort(new Error('the client went away')));
  socket.on('error', () => undefined);
  socket.write(
    'HTTP/1.1 101 UPGRADED\r\nContent-Type: application/vnd.docker.raw-stream\r\nConnection: Upgrade\r\nUpgrade: tcp\r\n\r\n',
  );
  exec.running = true;
  const [program, ...args] = exec.cmd;
  const missing = project.faults().missingProgram;
  const run = program === undefined ? undefined : programFor(exec.container.service, program, missing);
  const inv: Invocation = {
    call: {
      program: 'docker',
      argv: ['exec', exec.container.id, ...exec.cmd],
      cwd: project.dir,
      stdin,
      // An Engine API exec without Tty is what `exec -T` asks for.
      stdinTty: false,
      signal: gone.signal,
    },
    project,
    ours: true,
    projectName: project.name,
  };
  const answer = run
    ? await Promise.resolve(
        run({ inv, service: exec.container.service, args, env: exec.container.env, workdir: APP_DIR }),
      ).catch((error: unknown) => ({ exitCode: 1, stdout: '', stderr: `${String(error)}\n` }))
    : {
        exitCode: 126,
        stdout: `OCI runtime exec failed: exec failed: unable to start container process: exec: "${program}": executable file not found in $PATH: unknown\r\n`,
        stderr: '',
      };
  exec.running = false;
  exec.exitCode = answer.exitCode;
  if (socket.destroyed) return;
  const out = [
    answer.stdout ? frame(1, answer.stdout) : Buffer.alloc(0),
    answer.stderr ? frame(2, answer.stderr) : Buffer.alloc(0),
  ];
  socket.end(Buffer.concat(out));
}
