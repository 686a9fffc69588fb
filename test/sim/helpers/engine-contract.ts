/**
 * The Engine API facts the compose driver relies on (src/hunter/docker), asked over a unix
 * socket with undici of the simulator's API and of the real daemon's, with the same assertions.
 */
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { serviceContainers } from '../../../src/hunter/docker/containers.ts';
import { EngineHttp, type EngineResult } from '../../../src/hunter/docker/engine.ts';
import { parseDockerHost } from '../../../src/hunter/docker/host.ts';
import { ContainerInspect, ExecCreated, ExecInspect } from '../../../src/hunter/docker/schema.ts';
import { pollUntil } from '../../helpers/poll.ts';
import type { World } from './contract-worlds.ts';

const call = () => ({ signal: AbortSignal.timeout(20_000), timeoutMs: 20_000 });

/** Stream id (1 stdout, 2 stderr, 3 the daemon's own) to what arrived on it. */
type Streams = Record<number, string>;

function demux(data: Buffer): Streams {
  const streams: Streams = {};
  for (let at = 0; at + 8 <= data.length; ) {
    const size = data.readUInt32BE(at + 4);
    const stream = data[at]!;
    streams[stream] = (streams[stream] ?? '') + data.subarray(at + 8, at + 8 + size).toString('utf8');
    at += 8 + size;
  }
  return streams;
}

function value<T>(res: EngineResult<T>): T {
  if (!res.ok) throw new Error(`Engine API: ${res.message}`);
  return res.value;
}

/** `POST /containers/{id}/exec`, then `/exec/{id}/start` hijacked, then the exit code. */
async function exec(http: EngineHttp, containerId: string, cmd: readonly string[], stdin?: string) {
  const created = value(
    await http.json(
      {
        method: 'POST',
        path: `/containers/${containerId}/exec`,
        body: {
          AttachStdin: stdin !== undefined,
          AttachStdout: true,
          AttachStderr: true,
          Tty: false,
          Cmd: cmd,
        },
      },
      ExecCreated,
      call(),
    ),
  );
  const start = {
    method: 'POST' as const,
    path: `/exec/${created.Id}/start`,
    body: { Detach: false, Tty: false },
  };
  const socket = value(await http.upgrade(start, call()));
  const chunks: Buffer[] = [];
  await new Promise<void>((resolve, reject) => {
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve());
    // Half-closed after stdin: the process reads to EOF, and the daemon still sends its output.
    if (stdin !== undefined) socket.end(stdin);
  });
  const done = value(
    await http.json({ method: 'GET', path: `/exec/${created.Id}/json` }, ExecInspect, call()),
  );
  return { exitCode: done.ExitCode, streams: demux(Buffer.concat(chunks)) };
}

async function logLines(http: EngineHttp, containerId: string, since: number): Promise<string[]> {
  const path = `/containers/${containerId}/logs?stdout=1&stderr=1&timestamps=1&since=${since}`;
  const body = value(await http.bytes({ method: 'GET', path }, call()));
  return Object.values(demux(body))
    .join('')
    .split('\n')
    .filter((line) => line !== '');
}

const NOT_FOUND =
  'OCI runtime exec failed: exec failed: unable to start container process: exec: "nosuch": ' +
  'executable file not found in $PATH: unknown\r\n';
const STAMPED = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{9}Z /;

/** The cases, inside a `describe` whose `beforeAll` opened the world `world()` returns. */
export function engineContract(world: () => World): void {
  let http: EngineHttp;
  beforeAll(() => {
    const host = parseDockerHost(world().dockerHost);
    if (host.kind === 'cli') throw new Error(`${host.text}: not a socket the Engine API client reaches`);
    http = new EngineHttp(host);
  });
  afterAll(() => http?.close());

  const containerOf = async (service: 'api' | 'worker') => {
    const found = value(await serviceContainers(http, world().project, service, call()));
    expect(found.length).toBeGreaterThan(0);
    return found[0]!.Id;
  };
  const inspect = async (id: string) =>
    value(await http.json({ method: 'GET', path: `/containers/${id}/json` }, ContainerInspect, call()));

  it('exec passes the exit code through, stdout on stream 1, stderr on stream 2', async () => {
    const ran = await exec(http, await containerOf('api'), ['sh', '-c', 'exit 3']);
    expect(ran).toEqual({ exitCode: 3, streams: {} });
    const printed = await exec(http, await containerOf('api'), ['printenv', 'PATH']);
    expect(printed.exitCode).toBe(0);
    expect(printed.streams[1]).toMatch(/^\/\S*\n$/);
    expect(await exec(http, await containerOf('api'), ['sha256sum', 'nosuch'])).toEqual({
      exitCode: 1,
      streams: { 2: 'sha256sum: nosuch: No such file or directory\n' },
    });
  });

  it('passes stdin through whole; half-closing the stream is EOF for the process', async () => {
    const input = `${'{"cache": "x"}\n'.repeat(100_000)}no newline at the end`;
    const digest = createHash('sha256').update(input).digest('hex');
    expect(await exec(http, await containerOf('api'), ['sha256sum'], input)).toEqual({
      exitCode: 0,
      streams: { 1: `${digest}  -\n` },
    });
  });

  it("a missing executable is exit 126, runc's message on stream 1 (stdout)", async () => {
    expect(await exec(http, await containerOf('api'), ['nosuch', 'arg'])).toEqual({
      exitCode: 126,
      streams: { 1: NOT_FOUND },
    });
  });

  it('logs?timestamps=1 stamps every line to the nanosecond; since (unix seconds) keeps that second on', async () => {
    const id = await containerOf('api');
    const all = await logLines(http, id, 0);
    expect(all.length).toBeGreaterThan(0);
    for (const line of all) expect(line).toMatch(STAMPED);
    const last = all.at(-1)!;
    const second = Math.floor(Date.parse(last.slice(0, last.indexOf(' '))) / 1000);
    expect(await logLines(http, id, second)).toContain(last);
    expect(await logLines(http, id, Math.floor(Date.now() / 1000) + 3600)).toEqual([]);
  });

  it('a stopped container refuses exec with 409; restart answers 204, starts it, and counts no restart', async () => {
    const id = await containerOf('worker');
    await world().stop('worker');
    try {
      const stopped = await pollUntil(
        async () => {
          const state = await inspect(id);
          return state.State.Running ? undefined : state;
        },
        { what: 'the worker to stop' },
      );
      const refused = await http.json(
        { method: 'POST', path: `/containers/${id}/exec`, body: { AttachStdout: true, Cmd: ['true'] } },
        ExecCreated,
        call(),
      );
      // Listed with all=1 while stopped: a crashed api is still the api.
      expect(await containerOf('worker')).toBe(id);
      expect(refused).toMatchObject({ ok: false, reason: 'daemon', status: 409 });
      expect(refused.ok ? '' : refused.message).toMatch(new RegExp(`^container ${id} is not running$`, 'i'));
      expect(await http.bytes({ method: 'POST', path: `/containers/${id}/restart?t=0` }, call())).toEqual({
        ok: true,
        value: Buffer.alloc(0),
      });
      const restarted = await inspect(id);
      expect(Date.parse(restarted.State.StartedAt)).toBeGreaterThan(Date.parse(stopped.State.StartedAt));
      expect(restarted.RestartCount).toBe(stopped.RestartCount);
    } finally {
      await world().resume('worker');
      await pollUntil(async () => ((await inspect(id)).State.Running ? true : undefined), {
        timeoutMs: 20_000,
        what: 'the worker to run again',
      });
    }
  });
}
